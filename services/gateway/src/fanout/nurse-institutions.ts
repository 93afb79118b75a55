import type { Redis } from 'ioredis';
import type { RedisKeys } from '@nursing/contracts';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 100_000;

/**
 * Which institution a nurse belongs to (positions do not say), from her profile in
 * Redis, cached: a nurse changes institution rarely, and a stale answer for a few
 * minutes only decides whether a map shows her id or an anonymous one.
 */
export function createNurseInstitutions(deps: { redis: Redis; keys: RedisKeys; now: () => number }) {
  const cache = new Map<string, { institutionId: string | null; at: number }>();
  const loading = new Map<string, Promise<string | null>>();

  async function load(nurseId: string): Promise<string | null> {
    const raw = await deps.redis.get(deps.keys.nurse(nurseId));
    const institutionId = raw ? ((JSON.parse(raw) as { institutionId?: string }).institutionId ?? null) : null;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(nurseId, { institutionId, at: deps.now() });
    return institutionId;
  }

  return {
    /** The nurse's institution, or null when she has no profile (treated as another institution). */
    get(nurseId: string): string | null | Promise<string | null> {
      const hit = cache.get(nurseId);
      if (hit && deps.now() - hit.at < TTL_MS) return hit.institutionId;
      let p = loading.get(nurseId);
      if (!p) {
        p = load(nurseId).finally(() => loading.delete(nurseId));
        loading.set(nurseId, p);
      }
      return p;
    },
  };
}

export type NurseInstitutions = ReturnType<typeof createNurseInstitutions>;
