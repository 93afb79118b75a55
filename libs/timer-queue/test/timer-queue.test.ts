import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger } from '@nursing/logging';
import { useSharedInfra, waitFor, type SharedInfra } from '@nursing/testing';
import { createTimerQueue } from '../src/index.ts';

let infra: SharedInfra;
let redis: Redis;
const log = createLogger({ name: 'test', level: 'silent' });
beforeAll(async () => {
  infra = await useSharedInfra();
  redis = new Redis(infra.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await infra?.cleanup();
});

describe('timer queue', () => {
  it('fires a due timer once across competing pollers, and again after the lease when its handler failed', async () => {
    const key = `${infra.ns}:timers:{t:a}`;
    let clock = 1_000;
    const queues = Array.from({ length: 4 }, () => createTimerQueue({ redis, key, log, now: () => clock, pollMs: 10, leaseMs: 500 }));
    await queues[0]!.schedule('t1', 1_500);
    expect(await Promise.all(queues.map((q) => q.pollOnce(async () => undefined)))).toEqual([0, 0, 0, 0]);
    clock = 1_500;
    const fired: string[] = [];
    const counts = await Promise.all(queues.map((q) => q.pollOnce(async (m) => void fired.push(m))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(fired).toEqual(['t1']);
    expect(await queues[0]!.dueAt('t1')).toBeUndefined();

    await queues[0]!.schedule('t2', 1_500);
    await queues[0]!.pollOnce(async () => {
      throw new Error('handler died');
    });
    expect(await queues[1]!.pollOnce(async () => undefined)).toBe(0);
    clock = 2_000;
    await waitFor(async () => (await queues[1]!.pollOnce(async (m) => void fired.push(m))) === 1);
    expect(fired).toEqual(['t1', 't2']);
  });

  it('scheduleIfAbsent keeps an existing deadline', async () => {
    const q = createTimerQueue({ redis, key: `${infra.ns}:timers:{t:b}`, log, now: () => 0, pollMs: 10 });
    expect(await q.scheduleIfAbsent('x', 100)).toBe(true);
    expect(await q.scheduleIfAbsent('x', 999)).toBe(false);
    expect(await q.dueAt('x')).toBe(100);
    await q.schedule('x', 999);
    expect(await q.dueAt('x')).toBe(999);
  });
});
