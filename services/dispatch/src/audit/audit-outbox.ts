import type { Redis, Result } from 'ioredis';
import type { Logger } from '@nursing/logging';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    popIfHead(key: string, item: string): Result<number, Context>;
  }
}

/** Removes the list's first item only if it is `item`: whoever drains second finds it gone and skips it. */
const POP_IF_HEAD_LUA = `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) return 1 end
return 0
`;

/** An audit entry waiting to be appended, with the id JetStream deduplicates it by. */
export interface OutboxItem {
  msgId: string;
  subject: string;
  data: string;
}

export interface AuditOutboxDeps {
  redis: Redis;
  key: string;
  /** Appends one item to JetStream; throws when it cannot. */
  publish: (item: OutboxItem) => Promise<void>;
  log: Logger;
  pollMs?: number;
}

/**
 * Where audit entries wait while JetStream cannot take them (NATS restarting, a
 * failover): a Redis list (AOF, like the orders it traces), drained in order by every
 * dispatch instance once JetStream answers again. Two instances draining at once may
 * publish an entry twice; JetStream drops the second by its message id, and only the
 * instance whose pop succeeds moves on, so nothing is skipped.
 */
export function createAuditOutbox(deps: AuditOutboxDeps) {
  const { redis, key, publish, log } = deps;
  const pollMs = deps.pollMs ?? 1_000;
  if (typeof (redis as { popIfHead?: unknown }).popIfHead !== 'function') {
    redis.defineCommand('popIfHead', { numberOfKeys: 1, lua: POP_IF_HEAD_LUA });
  }
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  /** Publishes waiting entries, oldest first, until the list is empty or JetStream fails. Returns how many went out. */
  async function drainOnce(max = 500): Promise<number> {
    let sent = 0;
    while (sent < max) {
      const head = await redis.lindex(key, 0);
      if (head === null) break;
      await publish(JSON.parse(head) as OutboxItem);
      await redis.popIfHead(key, head);
      sent++;
    }
    if (sent > 0) log.info({ sent }, 'audit outbox drained');
    return sent;
  }

  return {
    async push(item: OutboxItem): Promise<void> {
      await redis.rpush(key, JSON.stringify(item));
    },
    drainOnce,
    start(): void {
      const loop = async () => {
        running = drainOnce().catch(() => undefined); // still down: try again next round
        await running;
        if (timer !== undefined) timer = setTimeout(loop, pollMs);
      };
      timer = setTimeout(loop, pollMs);
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type AuditOutbox = ReturnType<typeof createAuditOutbox>;
