import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createLogger } from '@nursing/logging';
import { createTokenVerifier } from '@nursing/auth';
import { startRedisServer, type LocalServer } from '@nursing/local-servers';
import { useSharedInfra, waitFor, type SharedInfra } from '@nursing/testing';
import { connectRedis, createHttpApp } from '../src/index.ts';

// Redis going away (its own server here, stopped and started again) and a NATS request nobody
// answers are a 503 the client can retry, not a 500; a real bug stays a 500.
let infra: SharedInfra;
let server: LocalServer;
let redis: Redis;
let nc: NatsConnection;
let app: FastifyInstance;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  infra = await useSharedInfra();
  server = await startRedisServer({ appendOnly: true });
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).trim().split('\n')) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger({ name: 'test', level: 'warn' }, sink);
  redis = connectRedis(server.url, log);
  nc = await connect({ servers: infra.natsUrl.replace(/^nats:\/\//, '') });
  const nobody = `${infra.ns}.nobody.${randomBytes(4).toString('hex')}`;
  app = await createHttpApp({
    log,
    title: 'test',
    readiness: {},
    auth: { verifyToken: createTokenVerifier('s'.repeat(40)), isDisabled: async () => false },
    modules: [
      {
        name: 'demo',
        routes: async (a) => {
          a.get('/v1/value', async () => ({ value: await redis.get('k') }));
          a.get('/v1/ask', async () => ({ reply: (await nc.request(nobody, 'x', { timeout: 1_000 })).string() }));
          a.get('/v1/boom', async () => {
            throw new Error('a real bug');
          });
        },
      },
    ],
  });
  await app.ready();
}, 30_000);

afterAll(async () => {
  await app?.close();
  redis?.disconnect();
  await nc?.close();
  await server?.stop();
  await infra?.cleanup();
});

describe('a backing service briefly unavailable', () => {
  it('answers 503 UNAVAILABLE with Retry-After while Redis is down, and 200 once it is back', async () => {
    await redis.set('k', 'v');
    expect((await app.inject({ url: '/v1/value' })).json()).toEqual({ value: 'v' });

    await server.kill9();
    const down = await app.inject({ url: '/v1/value' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect(down.json()).toEqual({ error: { code: 'UNAVAILABLE', message: 'a backing service is briefly unavailable, try again' } });
    expect(lines.some((l) => l['msg'] === 'backing service unavailable' && l['level'] === 40)).toBe(true);

    await server.restart(); // AOF on: the value survives
    await waitFor(async () => (await app.inject({ url: '/v1/value' })).statusCode === 200, { timeoutMs: 15_000, intervalMs: 200, message: 'Redis back' });
    expect((await app.inject({ url: '/v1/value' })).json()).toEqual({ value: 'v' });
  }, 40_000);

  it('answers 503 when a NATS request finds no responder', async () => {
    const res = await app.inject({ url: '/v1/ask' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });

  it('still answers 500 INTERNAL for an error of its own, logged as an error', async () => {
    const res = await app.inject({ url: '/v1/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(lines.some((l) => l['msg'] === 'unhandled error' && l['level'] === 50)).toBe(true);
  });
});
