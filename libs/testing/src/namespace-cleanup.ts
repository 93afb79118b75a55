import type { JetStreamManager } from '@nats-io/jetstream';
import type { Redis } from 'ioredis';

/**
 * Deletes every key `${ns}:*` with SCAN + UNLINK in batches (never KEYS, which blocks a
 * shared server). Returns how many keys were removed.
 */
export async function deleteRedisNamespace(redis: Redis, ns: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Deletes every JetStream stream of the namespace: names starting with `${NS}_`, plus the
 * streams behind KV buckets and object stores named so (`KV_${NS}_…`, `OBJ_${NS}_…`).
 * Returns the deleted stream names.
 */
export async function deleteJetStreamNamespace(jsm: JetStreamManager, ns: string): Promise<string[]> {
  const prefix = `${ns.toUpperCase()}_`;
  const prefixes = [prefix, `KV_${prefix}`, `OBJ_${prefix}`];
  const doomed: string[] = [];
  // Collect first: deleting while paging through the list would shift later pages.
  for await (const name of jsm.streams.names()) {
    if (prefixes.some((p) => name.startsWith(p))) doomed.push(name);
  }
  await Promise.all(doomed.map((name) => jsm.streams.delete(name)));
  return doomed;
}
