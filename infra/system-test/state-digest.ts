import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * A fingerprint of everything a namespace stores: every Redis key with its value, and
 * the message count of each of its JetStream streams. Rate-limit counters are left out:
 * counting a refused request is their job.
 */
export async function stateDigest(redis: Redis, jsm: JetStreamManager, ns: string): Promise<string> {
  const hash = createHash('sha256');
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch.filter((k) => !k.startsWith(`${ns}:ratelimit:`)));
  } while (cursor !== '0');
  keys.sort();
  for (const key of keys) {
    const dump = await redis.dumpBuffer(key);
    hash.update(key).update('\0').update(dump ?? Buffer.alloc(0)).update('\0');
  }
  const prefix = `${ns.toUpperCase()}_`;
  for await (const stream of jsm.streams.list()) {
    if (stream.config.name.startsWith(prefix)) hash.update(`${stream.config.name}=${stream.state.messages}\0`);
  }
  return hash.digest('hex');
}
