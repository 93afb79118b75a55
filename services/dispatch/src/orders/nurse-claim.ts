import type { Redis } from 'ioredis';
import { ConflictError, type OrderState, type RedisKeys } from '@nursing/contracts';

/** States in which an order no longer needs its nurse. */
const FINISHED: readonly OrderState[] = ['completed', 'rated', 'cancelled', 'unassigned'];

// Set the key to `orderId` if it is absent or still holds `expected`; 1 when it now holds orderId.
const CLAIM_LUA = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[2] or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0
`;
// Delete the key only if it still holds `orderId` (a lost race must not free someone else's claim).
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * A nurse serves one order at a time. Before she may win an order (accept or grab) she
 * claims her active-order key atomically: two offers accepted at once, or a grab and an
 * accept racing on two dispatch instances, leave her with exactly one. A key left by an
 * order that has since finished does not block her.
 */
export function createNurseClaims(deps: { redis: Redis; keys: RedisKeys; stateOf: (orderId: string) => Promise<OrderState | undefined> }) {
  const { redis, keys, stateOf } = deps;

  return {
    /** Claims her for `orderId`, or throws 409 NURSE_BUSY naming the order she is serving. */
    async claim(nurseId: string, orderId: string): Promise<void> {
      const key = keys.activeOrder(nurseId);
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await redis.get(key);
        let stale = '';
        if (current && current !== orderId) {
          const state = await stateOf(current);
          if (state !== undefined && !FINISHED.includes(state)) {
            throw new ConflictError('NURSE_BUSY', `you are serving order ${current}: finish it before taking another`);
          }
          stale = current;
        }
        if ((await redis.eval(CLAIM_LUA, 1, key, orderId, stale)) === 1) return;
      }
      throw new ConflictError('NURSE_BUSY', 'another order claimed you at the same moment');
    },
    /** Gives the claim back after losing the order's race. */
    async release(nurseId: string, orderId: string): Promise<void> {
      await redis.eval(RELEASE_LUA, 1, keys.activeOrder(nurseId), orderId);
    },
  };
}

export type NurseClaims = ReturnType<typeof createNurseClaims>;
