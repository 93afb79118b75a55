import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, useSharedInfra, type SharedInfra } from '../src/index.ts';

async function streamNames(jsm: JetStreamManager): Promise<string[]> {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) names.push(name);
  return names;
}

describe('useSharedInfra', () => {
  let mine: SharedInfra;
  let theirs: SharedInfra;
  let redis: Redis;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    [mine, theirs] = await Promise.all([useSharedInfra(), useSharedInfra()]);
    redis = new Redis(mine.redisUrl);
    nc = await connect({ servers: mine.natsUrl });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await Promise.all([mine?.cleanup(), theirs?.cleanup()]);
    redis?.disconnect();
    await nc?.close();
  });

  it('hands out distinct valid namespaces', () => {
    expect(mine.ns).toMatch(/^[a-z][a-z0-9_]{0,30}$/);
    expect(mine.ns).not.toBe(theirs.ns);
  });

  it("cleanup() removes only its own namespace's keys and streams", async () => {
    const MINE = mine.ns.toUpperCase();
    const THEIRS = theirs.ns.toUpperCase();
    // More keys than one SCAN batch, so cleanup has to follow the cursor.
    const pipeline = redis.pipeline();
    for (let i = 0; i < 2500; i++) pipeline.set(`${mine.ns}:visit:${i}`, 'x');
    pipeline.set(`${theirs.ns}:visit:1`, 'y');
    pipeline.set(`${mine.ns}_lookalike:1`, 'z');
    await pipeline.exec();
    await jsm.streams.add({ name: `${MINE}_VISITS`, subjects: [`${mine.ns}.visits.>`], storage: 'memory' });
    await jsm.streams.add({ name: `KV_${MINE}_nurses`, subjects: [`$KV.${MINE}_nurses.>`], storage: 'memory' });
    await jsm.streams.add({ name: `${THEIRS}_VISITS`, subjects: [`${theirs.ns}.visits.>`], storage: 'memory' });

    await mine.cleanup();

    expect(await redis.exists(`${mine.ns}:visit:0`, `${mine.ns}:visit:2499`)).toBe(0);
    expect(await redis.get(`${theirs.ns}:visit:1`)).toBe('y');
    expect(await redis.get(`${mine.ns}_lookalike:1`)).toBe('z');
    const names = await streamNames(jsm);
    expect(names).not.toContain(`${MINE}_VISITS`);
    expect(names).not.toContain(`KV_${MINE}_nurses`);
    expect(names).toContain(`${THEIRS}_VISITS`);
    await redis.unlink(`${mine.ns}_lookalike:1`);
  });

  it('fails with instructions when Redis does not answer', async () => {
    const saved = process.env['TEST_REDIS_URL'];
    process.env['TEST_REDIS_URL'] = `redis://127.0.0.1:${await freePort()}`;
    try {
      await expect(useSharedInfra()).rejects.toThrow(/Redis not reachable at redis:\/\/127\.0\.0\.1:\d+ .*npm start/);
    } finally {
      if (saved === undefined) delete process.env['TEST_REDIS_URL'];
      else process.env['TEST_REDIS_URL'] = saved;
    }
  });
});
