import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '@nursing/testing';
import { DispatchEnvSchema, type DispatchConfig } from '../../src/env.ts';
import { createDispatchModule } from '../../src/module.ts';
import { bearer } from '../harness.ts';
import { CENTRE, orderBody } from '../fixtures.ts';

// Two dispatch instances on one namespace: the budget is per coordinator and shared
// through Redis, so spreading requests over instances does not multiply it.
const I = 'i-rate';
let a: TestService<DispatchConfig>;
let b: TestService<DispatchConfig>;

beforeAll(async () => {
  const env = { ORDER_CREATE_LIMIT_PER_MIN: '3' };
  a = await startTestService({ envSchema: DispatchEnvSchema, env, modules: (deps) => [createDispatchModule(deps)] });
  b = await startTestService({ envSchema: DispatchEnvSchema, env, modules: (deps) => [createDispatchModule(deps)], infra: a.infra });
  const admin = bearer(a.tokens.admin());
  const inst = await a.app.inject({ method: 'POST', url: '/v1/institutions', headers: admin, payload: { id: I, name: 'Rate Centre', kind: 'community_health_centre', location: CENTRE } });
  expect(inst.statusCode, inst.body).toBe(201);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('order creation rate limit', () => {
  it('refuses a coordinator past the budget with 429, on any instance, and stores nothing', async () => {
    const coord = bearer(a.tokens.coordinator(I, 'coord-busy'));
    const create = (t: TestService<DispatchConfig>) => t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord, payload: orderBody(CENTRE) });
    expect((await create(a)).statusCode).toBe(201);
    expect((await create(b)).statusCode).toBe(201);
    expect((await create(a)).statusCode).toBe(201);
    const refused = await create(b);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const list = await a.app.inject({ url: '/v1/orders', headers: coord });
    expect(list.json().orders).toHaveLength(3);

    // Another coordinator has a budget of her own.
    const other = await a.app.inject({ method: 'POST', url: '/v1/orders', headers: bearer(a.tokens.coordinator(I, 'coord-calm')), payload: orderBody(CENTRE) });
    expect(other.statusCode).toBe(201);
  });
});
