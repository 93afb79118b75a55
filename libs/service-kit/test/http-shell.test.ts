import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Type from 'typebox';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@nursing/logging';
import { createTokenSigner, createTokenVerifier } from '@nursing/auth';
import { DomainRuleError } from '@nursing/contracts';
import { claimsOf, createHttpApp } from '../src/index.ts';

const SECRET = 's'.repeat(40);
const sign = createTokenSigner(SECRET);
const Body = Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Query = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }) });

let app: FastifyInstance;
const received: unknown[] = [];

beforeAll(async () => {
  app = await createHttpApp({
    log: createLogger({ name: 'test', level: 'silent' }),
    title: 'test',
    readiness: { redis: async () => undefined, nats: async () => Promise.reject(new Error('down')) },
    auth: { verifyToken: createTokenVerifier(SECRET), isDisabled: async (sub) => sub === 'gone' },
    modules: [
      {
        name: 'demo',
        routes: async (a) => {
          a.post('/v1/things', { schema: { body: Body }, preHandler: a.auth('coordinator') }, async (req, reply) => {
            received.push(req.body);
            return reply.status(201).send({ by: claimsOf(req).sub });
          });
          a.get('/v1/near', { schema: { querystring: Query } }, async (req) => ({ lat: (req.query as { lat: number }).lat }));
          a.post('/v1/refuse', async () => {
            throw new DomainRuleError('NEGATIVE_LIST_ITEM', 'chemotherapy may not be given at home');
          });
          a.get('/v1/boom', async () => {
            throw new Error('secret internals');
          });
        },
      },
    ],
  });
  await app.ready();
});
afterAll(() => app.close());

const coordinator = () => ({ authorization: `Bearer ${sign({ sub: 'c1', role: 'coordinator', institution: 'i1' })}` });

describe('HTTP shell: one error shape for every failure', () => {
  it.each([
    ['missing token', {}, { name: 'a', count: 1 }, 401, 'UNAUTHENTICATED', 'missing bearer token'],
    ['forged token', { authorization: `Bearer ${createTokenSigner('x'.repeat(40))({ sub: 'c1', role: 'coordinator', institution: 'i1' })}` }, { name: 'a', count: 1 }, 401, 'UNAUTHENTICATED', 'token signature invalid'],
    ['disabled account', { authorization: `Bearer ${sign({ sub: 'gone', role: 'coordinator', institution: 'i1' })}` }, { name: 'a', count: 1 }, 401, 'UNAUTHENTICATED', 'account disabled'],
    ['wrong role', { authorization: `Bearer ${sign({ sub: 'n1', role: 'nurse', institution: 'i1' })}` }, { name: 'a', count: 1 }, 403, 'FORBIDDEN', 'requires role coordinator, token has nurse'],
    ['malformed body', null, { name: '', count: 0, extra: true }, 400, 'VALIDATION_FAILED', 'invalid body: / has unknown field(s): extra'],
  ])('%s', async (_name, headers, payload, status, code, message) => {
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: headers ?? coordinator(), payload });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code, message } });
  });

  it('lists every field problem for a malformed body and stores nothing', async () => {
    const before = received.length;
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: coordinator(), payload: { name: '', count: 0, extra: true } });
    const paths = (res.json().error.details.problems as { path: string }[]).map((p) => p.path).sort();
    expect(paths).toEqual(['/', '/count', '/name']);
    expect(received.length).toBe(before);
  });

  it('answers broken JSON with 400 in the same shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: { ...coordinator(), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('accepts a valid request', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers: coordinator(), payload: { name: 'a', count: 2 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ by: 'c1' });
  });

  it('coerces query strings and refuses out-of-range values', async () => {
    expect((await app.inject({ url: '/v1/near?lat=31.5' })).json()).toEqual({ lat: 31.5 });
    const bad = await app.inject({ url: '/v1/near?lat=91' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('invalid query: /lat must be <= 90');
  });

  it('maps domain refusals to 422, unknown routes to 404 and hides internals behind 500', async () => {
    const refused = await app.inject({ method: 'POST', url: '/v1/refuse' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({ error: { code: 'NEGATIVE_LIST_ITEM', message: 'chemotherapy may not be given at home' } });
    const missing = await app.inject({ url: '/v1/nothing?token=x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing' } });
    const boom = await app.inject({ url: '/v1/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret internals');
  });

  it('probes readiness and serves the OpenAPI document', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', checks: { redis: 'ok', nats: 'failed: down' } });
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toContain('/v1/things');
  });
});
