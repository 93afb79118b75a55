import type { Redis, Result } from 'ioredis';
import type { Logger } from '@nursing/logging';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    claimTimers(key: string, nowMs: number, leaseMs: number, max: number): Result<string[], Context>;
  }
}

/**
 * Claims due timers by pushing their due time forward by a lease rather than removing
 * them: if the instance that claimed one dies before handling it, the timer comes due
 * again after the lease and another instance handles it. Handlers must be idempotent.
 */
const CLAIM_TIMERS_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local leaseUntil = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], leaseUntil, member) end
return due
`;

export interface TimerQueueOptions {
  redis: Redis;
  key: string;
  log: Logger;
  now: () => number;
  pollMs: number;
  leaseMs?: number;
  batch?: number;
}

export type TimerHandler = (member: string) => Promise<void>;

/** Deadlines (offer expiry, grab window, alarm escalation, welfare) kept in a Redis sorted set, fired by whichever instance polls first. */
export function createTimerQueue(options: TimerQueueOptions) {
  const { redis, key, log, now } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const batch = options.batch ?? 100;
  if (typeof (redis as { claimTimers?: unknown }).claimTimers !== 'function') {
    redis.defineCommand('claimTimers', { numberOfKeys: 1, lua: CLAIM_TIMERS_LUA });
  }
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function pollOnce(handler: TimerHandler): Promise<number> {
    const due = await redis.claimTimers(key, now(), leaseMs, batch);
    await Promise.all(
      due.map(async (member) => {
        try {
          await handler(member);
          await redis.zrem(key, member);
        } catch (err) {
          // Left in the set: it comes due again after the lease.
          log.error({ err, timer: member }, 'timer handler failed; will retry');
        }
      }),
    );
    return due.length;
  }

  return {
    /** Sets (or moves) a deadline. */
    async schedule(member: string, dueAtMs: number): Promise<void> {
      await redis.zadd(key, dueAtMs, member);
    },
    /**
     * Sets a deadline, or moves an existing one later, never earlier. For a deadline set
     * before the change it guards: two instances racing to make the same offer both set
     * it, and the loser's must not bring the winner's forward.
     */
    async scheduleNoEarlier(member: string, dueAtMs: number): Promise<void> {
      await redis.zadd(key, 'GT', dueAtMs, member);
    },
    /** Sets a deadline unless the member is already scheduled (a redelivered job must not push it back). */
    async scheduleIfAbsent(member: string, dueAtMs: number): Promise<boolean> {
      return (await redis.zadd(key, 'NX', dueAtMs, member)) === 1;
    },
    /** The member's due time (or lease end while claimed), if scheduled. */
    async dueAt(member: string): Promise<number | undefined> {
      const score = await redis.zscore(key, member);
      return score === null ? undefined : Number(score);
    },
    async cancel(member: string): Promise<void> {
      await redis.zrem(key, member);
    },
    pollOnce,
    start(handler: TimerHandler): void {
      const loop = async () => {
        running = (async () => {
          try {
            // Drain bursts without waiting a full period between batches.
            while ((await pollOnce(handler)) === batch);
          } catch (err) {
            log.warn({ err }, 'timer poll failed');
          }
        })();
        await running;
        if (timer !== undefined) timer = setTimeout(loop, options.pollMs);
      };
      timer = setTimeout(loop, options.pollMs);
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type TimerQueue = ReturnType<typeof createTimerQueue>;
