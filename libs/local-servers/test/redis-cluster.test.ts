import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type LocalRedisCluster } from '../src/index.ts';

describe('startRedisCluster', () => {
  let cluster: LocalRedisCluster | undefined;
  let client: Cluster | undefined;
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('serves keys in different hash slots through an ioredis Cluster client', { timeout: 30_000 }, async () => {
    cluster = await startRedisCluster({ masters: 3 });
    expect(cluster.nodes).toHaveLength(3);
    client = new Cluster(cluster.nodes);

    // Keys spread over the slot space, so every master owns some of them.
    const keys = Array.from({ length: 30 }, (_, i) => `nurse:${i}`);
    for (const key of keys) await client.set(key, key.toUpperCase());
    for (const key of keys) expect(await client.get(key)).toBe(key.toUpperCase());

    const keysPerMaster = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
    expect(keysPerMaster).toHaveLength(3);
    expect(keysPerMaster.every((count) => count > 0)).toBe(true);
    expect(keysPerMaster.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
  });
});
