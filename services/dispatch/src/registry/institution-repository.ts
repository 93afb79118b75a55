import type { Redis } from 'ioredis';
import type { Institution, RedisKeys } from '@nursing/contracts';

export interface InstitutionRepositoryDeps {
  redis: Redis;
  keys: RedisKeys;
}

/**
 * Institutions in one Redis hash (id -> Institution JSON): a city has hundreds, and
 * "nearby" reads them all anyway.
 */
export function createInstitutionRepository({ redis, keys }: InstitutionRepositoryDeps) {
  return {
    /** Stores a new institution; false when the id is taken (HSETNX, so two creators cannot both win). */
    async create(institution: Institution): Promise<boolean> {
      return (await redis.hsetnx(keys.institutions, institution.id, JSON.stringify(institution))) === 1;
    },

    /** Stores an institution, replacing any with the same id (seeding, admin fixes). */
    async put(institution: Institution): Promise<void> {
      await redis.hset(keys.institutions, institution.id, JSON.stringify(institution));
    },

    async get(id: string): Promise<Institution | undefined> {
      const raw = await redis.hget(keys.institutions, id);
      return raw ? (JSON.parse(raw) as Institution) : undefined;
    },

    async exists(id: string): Promise<boolean> {
      return (await redis.hexists(keys.institutions, id)) === 1;
    },

    /** Every institution, by id. */
    async list(): Promise<Institution[]> {
      const all = await redis.hvals(keys.institutions);
      return all.map((raw) => JSON.parse(raw) as Institution).sort(byId);
    },
  };
}

export type InstitutionRepository = ReturnType<typeof createInstitutionRepository>;

// Code-unit order, not locale order: the same on every machine.
function byId(a: Institution, b: Institution): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
