import type { Redis, Result } from 'ioredis';
import { ConflictError, type OrderState, type RedisKeys } from '@nursing/contracts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claimNurse(key: string, orderId: string, stale: string): Result<number | string, Context>;
    releaseNurse(key: string, orderId: string): Result<number, Context>;
  }
}

/** States in which an order no longer needs its nurse. */
const FINISHED: readonly OrderState[] = ['completed', 'rated', 'cancelled', 'unassigned'];

// Set the key to `orderId` if it is absent or holds `orderId` or `stale`: 1 when it now holds
// orderId, otherwise the order it holds (so the common case, a free nurse, is one round trip).
const CLAIM_LUA = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] or current == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return current
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
  if (typeof (redis as { claimNurse?: unknown }).claimNurse !== 'function') {
    redis.defineCommand('claimNurse', { numberOfKeys: 1, lua: CLAIM_LUA });
  }
  if (typeof (redis as { releaseNurse?: unknown }).releaseNurse !== 'function') {
    redis.defineCommand('releaseNurse', { numberOfKeys: 1, lua: RELEASE_LUA });
  }

  return {
    /** Claims her for `orderId`, or throws 409 NURSE_BUSY naming the order she is serving. */
    async claim(nurseId: string, orderId: string): Promise<void> {
      const key = keys.activeOrder(nurseId);
      let stale = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const held = await redis.claimNurse(key, orderId, stale);
        if (held === 1) return;
        const current = String(held);
        const state = await stateOf(current);
        if (state !== undefined && !FINISHED.includes(state)) {
          throw new ConflictError('NURSE_BUSY', `you are serving order ${current}: finish it before taking another`);
        }
        stale = current;
      }
      throw new ConflictError('NURSE_BUSY', 'another order claimed you at the same moment');
    },
    /** Gives the claim back after losing the order's race. */
    async release(nurseId: string, orderId: string): Promise<void> {
      await redis.releaseNurse(keys.activeOrder(nurseId), orderId);
    },
  };
}

export type NurseClaims = ReturnType<typeof createNurseClaims>;
