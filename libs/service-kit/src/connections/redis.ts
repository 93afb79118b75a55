import { Redis } from 'ioredis';
import type { Logger } from '@nursing/logging';

export type { Redis } from 'ioredis';

/**
 * A Redis client that reconnects with capped backoff and reports trouble once per
 * outage rather than once per retry.
 */
export function connectRedis(url: string, log: Logger): Redis {
  let down = false;
  const redis = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
  });
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: { message: err.message } }, 'redis connection problem');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
  });
  return redis;
}

/** Resolves when the client is ready, or rejects with a message naming the URL (without credentials). */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable at ${safeUrl(url)} after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A URL fit for a log line: credentials removed. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
