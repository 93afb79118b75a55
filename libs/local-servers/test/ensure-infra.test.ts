import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureInfra, freePort, isReachable } from '../src/index.ts';

describe('ensureInfra', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ensure-infra-test-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts redis and nats where nothing answers, and stop() ends them', async () => {
    const [redisPort, natsPort] = [await freePort(), await freePort()];
    const messages: string[] = [];
    const infra = await ensureInfra({
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      natsUrl: `nats://127.0.0.1:${natsPort}`,
      dataDir,
      log: { info: (message) => messages.push(message) },
    });
    try {
      expect(infra.started.sort()).toEqual(['nats', 'redis']);
      expect(messages.some((message) => message.includes('started redis-server'))).toBe(true);
      expect(messages.some((message) => message.includes('started nats-server'))).toBe(true);

      const redis = new Redis(infra.redisUrl, { lazyConnect: true, retryStrategy: () => null });
      await redis.connect();
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      redis.disconnect();

      const nc = await connect({ servers: infra.natsUrl });
      expect((await (await jetstreamManager(nc)).getAccountInfo()).storage).toBeGreaterThanOrEqual(0);
      await nc.close();

      // A second call finds both running and starts nothing.
      const again = await ensureInfra({ redisUrl: infra.redisUrl, natsUrl: infra.natsUrl, dataDir });
      expect(again.started).toEqual([]);
      await again.stop();
      expect(await isReachable('127.0.0.1', redisPort, 500)).toBe(true);
    } finally {
      await infra.stop();
    }
    expect(await isReachable('127.0.0.1', redisPort, 500)).toBe(false);
    expect(await isReachable('127.0.0.1', natsPort, 500)).toBe(false);
  });

  it('explains how to get a server when an unreachable URL is not local', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never routed, so nothing can answer there.
    const attempt = ensureInfra({
      redisUrl: 'redis://192.0.2.1:6379',
      natsUrl: 'nats://192.0.2.1:4222',
      dataDir,
      probeTimeoutMs: 300,
    });
    await expect(attempt).rejects.toThrow(/Redis is not reachable at redis:\/\/192\.0\.2\.1:6379[\s\S]*set REDIS_URL/);
    await expect(attempt).rejects.toThrow(/NATS is not reachable at nats:\/\/192\.0\.2\.1:4222[\s\S]*set NATS_URL/);
  });

  it('stops what it started when the other server cannot be had', async () => {
    const redisPort = await freePort();
    await expect(
      ensureInfra({ redisUrl: `redis://127.0.0.1:${redisPort}`, natsUrl: 'nats://192.0.2.1:4222', dataDir, probeTimeoutMs: 300 }),
    ).rejects.toThrow(/NATS is not reachable/);
    expect(await isReachable('127.0.0.1', redisPort, 500)).toBe(false);
  });
});
