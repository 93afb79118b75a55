import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isReachable, startRedisServer, type LocalServer } from '../src/index.ts';

describe('startRedisServer', () => {
  const servers: LocalServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('keeps AOF data across kill -9 and restart on the same port', async () => {
    const server = await startRedisServer({ appendOnly: true });
    servers.push(server);
    const firstPid = server.pid;
    const redis = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await redis.connect();
    await redis.set('survivor', 'still here');
    redis.disconnect();

    await server.kill9();
    expect(await isReachable('127.0.0.1', server.port, 500)).toBe(false);
    await server.restart();
    expect(server.pid).not.toBe(firstPid);

    const again = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await again.connect();
    expect(await again.get('survivor')).toBe('still here');
    again.disconnect();
  });

  it('removes its temp data dir and frees the port on stop()', async () => {
    const server = await startRedisServer();
    expect(existsSync(server.logFile)).toBe(true);
    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(await isReachable('127.0.0.1', server.port, 500)).toBe(false);
  });

  it('reports the server output when it cannot start', async () => {
    await expect(startRedisServer({ extraArgs: ['--no-such-option', 'x'] })).rejects.toThrow(/exited during startup[\s\S]*no-such-option/);
  });
});
