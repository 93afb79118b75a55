import type { Redis } from 'ioredis';
import type { RedisKeys } from '@nursing/contracts';
import type { Visit } from './arrival-detector.ts';

/** A visit is forgotten after this long even if she was never seen leaving (phone off, say). */
const VISIT_MEMORY_TTL_S = 12 * 3600;

/** The home a nurse is visiting, in Redis so a reconnect to another gateway instance still sees her leave it. */
export function visitMemory(redis: Redis, keys: RedisKeys, nurseId: string) {
  const key = keys.visitAwaitingDeparture(nurseId);
  return {
    async load(): Promise<Visit | null> {
      const raw = await redis.get(key);
      return raw ? (JSON.parse(raw) as Visit) : null;
    },
    async save(visit: Visit): Promise<void> {
      await redis.set(key, JSON.stringify({ orderId: visit.orderId, location: visit.location }), 'EX', VISIT_MEMORY_TTL_S);
    },
    async clear(): Promise<void> {
      await redis.del(key);
    },
  };
}
