import type { Redis, Result } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ConflictError,
  DomainRuleError,
  NotFoundError,
  NurseUpdate,
  UnavailableError,
  type NatsSubjects,
  type Nurse,
  type NurseCreate,
  type RedisKeys,
} from '@nursing/contracts';
import { matchesNurseFilter, type NurseFilter } from './nurse-filter.ts';

export interface NurseRepositoryDeps {
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  /** Epoch ms. */
  now: () => number;
}

/** Replaces a key's value only if it still holds what the caller read: optimistic locking on one key. */
const COMPARE_AND_SET_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    nurseCompareAndSet(key: string, expected: string, next: string): Result<number, Context>;
  }
}

// Concurrent edits of one nurse are rare (a coordinator's form, a rating); a few retries settle them.
const UPDATE_ATTEMPTS = 5;

const encoder = new TextEncoder();

/**
 * Nurse profiles: one JSON string per nurse (its own hash tag), plus the set of all
 * ids and a set per institution for listing. Every change is published in full on
 * `registry.nurse.<id>` so each dispatch instance's in-process view stays current.
 * Commands touch one key each, so this works on Redis Cluster unchanged.
 */
export function createNurseRepository(deps: NurseRepositoryDeps) {
  const { redis, nc, keys, subjects, now } = deps;
  if (typeof (redis as { nurseCompareAndSet?: unknown }).nurseCompareAndSet !== 'function') {
    redis.defineCommand('nurseCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET_LUA });
  }

  const publish = (nurse: Nurse): void => {
    nc.publish(subjects.nurseChanged(nurse.id), encoder.encode(JSON.stringify(nurse)));
  };
  const stamp = (): string => new Date(now()).toISOString();

  async function get(id: string): Promise<Nurse | undefined> {
    const raw = await redis.get(keys.nurse(id));
    return raw ? (JSON.parse(raw) as Nurse) : undefined;
  }

  async function getMany(ids: readonly string[]): Promise<Nurse[]> {
    // One GET per nurse (auto-pipelined): MGET would span hash slots on a cluster.
    const found = await Promise.all(ids.map(get));
    return found.filter((n): n is Nurse => n !== undefined);
  }

  /** Read, change, compare-and-set, retried if someone else wrote in between; then published. */
  async function modify(id: string, change: (nurse: Nurse) => Nurse): Promise<Nurse> {
    const key = keys.nurse(id);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const raw = await redis.get(key);
      if (!raw) throw new NotFoundError('nurse', id);
      const next: Nurse = { ...change(JSON.parse(raw) as Nurse), updatedAt: stamp() };
      if ((await redis.nurseCompareAndSet(key, raw, JSON.stringify(next))) === 1) {
        publish(next);
        return next;
      }
    }
    throw new UnavailableError(`nurse ${id} is being changed by others; try again`);
  }

  return {
    get,

    async exists(id: string): Promise<boolean> {
      return (await redis.exists(keys.nurse(id))) === 1;
    },

    /** Registers a nurse at an existing institution; the id must be new. */
    async create(input: NurseCreate): Promise<Nurse> {
      if ((await redis.hexists(keys.institutions, input.institutionId)) !== 1) {
        throw new DomainRuleError('DOMAIN_RULE', `institution ${input.institutionId} is not registered; a nurse must be registered at her institution`, {
          details: { institutionId: input.institutionId },
        });
      }
      const nurse: Nurse = { ...input, ratingSum: 0, ratingCount: 0, updatedAt: stamp() };
      // SET NX is the claim on the id; the index sets follow and are idempotent.
      if ((await redis.set(keys.nurse(nurse.id), JSON.stringify(nurse), 'NX')) !== 'OK') {
        throw new ConflictError('ALREADY_EXISTS', `nurse ${nurse.id} already exists`);
      }
      await Promise.all([redis.sadd(keys.nurseIds, nurse.id), redis.sadd(keys.institutionNurses(nurse.institutionId), nurse.id)]);
      publish(nurse);
      return nurse;
    },

    /** Applies a partial update (last writer wins per field, no lost updates) and bumps updatedAt. */
    update(id: string, patch: NurseUpdate): Promise<Nurse> {
      const fields = definedFields(patch);
      return modify(id, (nurse) => ({ ...nurse, ...fields }));
    },

    /** Adds a patient's rating (1-5) to the nurse's running sum; safe against concurrent edits. */
    addRating(id: string, score: number): Promise<Nurse> {
      return modify(id, (nurse) => ({ ...nurse, ratingSum: nurse.ratingSum + score, ratingCount: nurse.ratingCount + 1 }));
    },

    /** The nurses of one institution that pass the filter, by id. */
    async listByInstitution(institutionId: string, filter: NurseFilter = {}): Promise<Nurse[]> {
      const ids = await redis.smembers(keys.institutionNurses(institutionId));
      const today = stamp().slice(0, 10);
      return (await getMany(ids)).filter((n) => matchesNurseFilter(n, filter, today)).sort(byId);
    },

    /** Every registered nurse, for rebuilding an in-process index at start. */
    async loadAll(): Promise<Nurse[]> {
      return getMany(await redis.smembers(keys.nurseIds));
    },
  };
}

export type NurseRepository = ReturnType<typeof createNurseRepository>;

const UPDATABLE_FIELDS = new Set(Object.keys(NurseUpdate.properties));

/**
 * Only NurseUpdate's fields, and only those given: the id and institution must never
 * change through here whoever the caller is, and `{ title: undefined }` must not erase a title.
 */
function definedFields(patch: NurseUpdate): NurseUpdate {
  return Object.fromEntries(Object.entries(patch).filter(([k, v]) => UPDATABLE_FIELDS.has(k) && v !== undefined)) as NurseUpdate;
}

function byId(a: Nurse, b: Nurse): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
