import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '@nursing/auth';
import { TEST_JWT_SECRET } from '@nursing/testing';
import { WebSocket } from 'ws';
import { startSystemApp, type SystemApp } from './system-app.ts';
import { seedSystem, SEED } from './seed.ts';

// The whole authorisation matrix: every documented route (and every socket) against
// every kind of caller. A route missing from the table fails the test, so a new route
// cannot ship without deciding who may call it.

type Actor = 'anonymous' | 'forged' | 'expired' | 'disabled' | 'admin' | 'coordinator' | 'otherCoordinator' | 'nurse' | 'otherNurse' | 'security';
const IDENTIFIED: Actor[] = ['admin', 'coordinator', 'otherCoordinator', 'nurse', 'otherNurse', 'security'];
const UNAUTHENTICATED: Actor[] = ['anonymous', 'forged', 'expired', 'disabled'];

interface Probe {
  /** Who passes the gate; every other identified actor must get 403. */
  allowed: Actor[];
  request: (ids: Ids) => { url: string; payload?: unknown };
}
interface Ids {
  orderId: string;
  /** A second order of the institution, for the calls that end an order (cancel, redispatch). */
  spareOrderId: string;
  alarmId: string;
}

const now = () => Date.now();
const window = () => ({ startAt: new Date(now() + 3_600_000).toISOString(), endAt: new Date(now() + 7_200_000).toISOString() });
const everyone = IDENTIFIED;
const staffOfA: Actor[] = ['admin', 'coordinator'];

const MATRIX: Record<string, Probe> = {
  'POST /v1/institutions': { allowed: ['admin'], request: () => ({ url: '/v1/institutions', payload: { id: 'inst-new', name: 'New', kind: 'hospital', location: SEED.centre } }) },
  'GET /v1/institutions': { allowed: everyone, request: () => ({ url: '/v1/institutions' }) },
  'GET /v1/institutions/nearby': { allowed: everyone, request: () => ({ url: `/v1/institutions/nearby?lat=${SEED.centre.lat}&lng=${SEED.centre.lng}` }) },
  'GET /v1/institutions/{id}': { allowed: everyone, request: () => ({ url: `/v1/institutions/${SEED.institution}` }) },
  'POST /v1/nurses': {
    allowed: staffOfA,
    request: () => ({
      url: '/v1/nurses',
      payload: {
        id: 'n-new', institutionId: SEED.institution, name: 'Zhao Min', registrationNumber: 'REG20269999', title: 'nurse_practitioner', yearsExperience: 6,
        certifications: [], specialtyGroups: [], homeServiceTrained: true, suspended: false,
      },
    }),
  },
  'GET /v1/nurses': { allowed: ['admin', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/nurses' }) },
  'GET /v1/nurses/{id}': { allowed: ['admin', 'coordinator', 'nurse'], request: () => ({ url: `/v1/nurses/${SEED.nurse}` }) },
  'PATCH /v1/nurses/{id}': { allowed: staffOfA, request: () => ({ url: `/v1/nurses/${SEED.nurse}`, payload: { yearsExperience: 10 } }) },
  'PUT /v1/nurses/{id}/location': { allowed: ['nurse'], request: () => ({ url: `/v1/nurses/${SEED.nurse}/location`, payload: { ...SEED.centre, accuracyM: 5, atMs: now() } }) },
  'PUT /v1/nurses/{id}/status': { allowed: ['nurse'], request: () => ({ url: `/v1/nurses/${SEED.nurse}/status`, payload: { status: 'busy' } }) },
  'GET /v1/catalog': { allowed: everyone, request: () => ({ url: '/v1/catalog' }) },
  'POST /v1/orders': {
    allowed: ['coordinator', 'otherCoordinator'],
    request: () => ({
      url: '/v1/orders',
      payload: {
        patient: { id: 'p-2', name: 'Chen Jie', phone: '13900139000', address: '1 Lujiazui Ring Road', location: SEED.centre },
        itemCode: 'vital_signs_monitoring', mode: 'push',
        assessment: { doctorName: 'Dr Zhou', assessedAt: new Date(now() - 86_400_000).toISOString() },
        consent: { recordId: 'c-2', signedAt: new Date(now() - 3_600_000).toISOString(), signedBy: 'Chen Jie' },
        window: window(),
      },
    }),
  },
  'GET /v1/orders': { allowed: ['coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/orders' }) },
  'GET /v1/orders/{id}': { allowed: ['admin', 'coordinator', 'nurse'], request: (ids) => ({ url: `/v1/orders/${ids.orderId}` }) },
  'GET /v1/orders/{id}/candidates': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.orderId}/candidates` }) },
  'GET /v1/orders/{id}/timeline': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.orderId}/timeline` }) },
  'GET /v1/orders/{id}/patient': { allowed: ['admin', 'coordinator', 'nurse'], request: (ids) => ({ url: `/v1/orders/${ids.orderId}/patient` }) },
  'GET /v1/orders/{id}/track': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.orderId}/track` }) },
  'POST /v1/orders/{id}/assign': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.orderId}/assign`, payload: { nurseId: SEED.nurse, override: true, reason: 'authz matrix' } }) },
  'POST /v1/orders/{id}/cancel': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.spareOrderId}/cancel`, payload: { reason: 'authz matrix' } }) },
  'POST /v1/orders/{id}/redispatch': { allowed: staffOfA, request: (ids) => ({ url: `/v1/orders/${ids.spareOrderId}/redispatch` }) },
  'POST /v1/orders/{id}/rating': { allowed: ['coordinator'], request: (ids) => ({ url: `/v1/orders/${ids.orderId}/rating`, payload: { score: 5 } }) },
  'POST /v1/orders/{id}/accept': { allowed: ['nurse', 'otherNurse'], request: () => ({ url: '/v1/orders/o-missing/accept' }) },
  'POST /v1/orders/{id}/decline': { allowed: ['nurse', 'otherNurse'], request: () => ({ url: '/v1/orders/o-missing/decline', payload: { reason: 'busy' } }) },
  'POST /v1/orders/{id}/grab': { allowed: ['nurse', 'otherNurse'], request: () => ({ url: '/v1/orders/o-missing/grab' }) },
  'POST /v1/orders/{id}/progress': { allowed: ['nurse'], request: (ids) => ({ url: `/v1/orders/${ids.orderId}/progress`, payload: { step: 'en_route' } }) },
  'GET /v1/stats': { allowed: ['admin', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/stats' }) },
  'GET /v1/supply': { allowed: ['admin', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/supply?west=121.4&south=31.2&east=121.5&north=31.3' }) },
  'GET /v1/supply/nurses': { allowed: ['admin', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/supply/nurses' }) },
  'POST /v1/alarms': { allowed: ['nurse', 'otherNurse'], request: () => ({ url: '/v1/alarms', payload: { alarmId: `authz-${Math.random().toString(36).slice(2, 12)}`, drill: true } }) },
  'GET /v1/alarms': { allowed: ['admin', 'security', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/alarms?status=open' }) },
  'GET /v1/alarms/stats': { allowed: ['admin', 'security', 'coordinator', 'otherCoordinator'], request: () => ({ url: '/v1/alarms/stats' }) },
  'GET /v1/alarms/{id}': { allowed: ['admin', 'security', 'coordinator', 'nurse'], request: (ids) => ({ url: `/v1/alarms/${ids.alarmId}` }) },
  'GET /v1/alarms/{id}/audit': { allowed: ['admin', 'security'], request: (ids) => ({ url: `/v1/alarms/${ids.alarmId}/audit` }) },
  'POST /v1/alarms/{id}/acknowledge': { allowed: ['admin', 'security'], request: () => ({ url: '/v1/alarms/alarm-missing-1/acknowledge', payload: {} }) },
  'POST /v1/alarms/{id}/resolve': { allowed: ['admin', 'security'], request: () => ({ url: '/v1/alarms/alarm-missing-1/resolve', payload: { notes: 'authz matrix' } }) },
  'POST /v1/welfare/checkin': { allowed: ['nurse'], request: (ids) => ({ url: '/v1/welfare/checkin', payload: { orderId: ids.orderId } }) },
};

/** Routes anyone may call: probes, and the development sign-in (absent in production). */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'POST /v1/dev/token']);

const SOCKETS: Record<string, Actor[]> = {
  '/ws/nurse': ['nurse', 'otherNurse'],
  '/ws/coordinator': ['admin', 'coordinator', 'otherCoordinator'],
  '/ws/security': ['admin', 'security'],
};

let t: SystemApp;
let ids: Ids;
let tokens: Record<Actor, string | undefined>;
let documented: string[];

beforeAll(async () => {
  t = await startSystemApp();
  const { orderId } = await seedSystem(t);
  const admin = { authorization: `Bearer ${t.tokens.admin()}` };
  const other = await t.app.inject({
    method: 'POST',
    url: '/v1/nurses',
    headers: admin,
    payload: {
      id: 'n-other', institutionId: SEED.institution, name: 'Sun Li', registrationNumber: 'REG20260002', title: 'nurse_practitioner', yearsExperience: 6,
      certifications: [], specialtyGroups: [], homeServiceTrained: true, suspended: false,
    },
  });
  expect(other.statusCode, other.body).toBe(201);
  // The order is hers: assigned by hand, so "the assigned nurse" is a real relation.
  const assigned = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderId}/assign`,
    headers: { authorization: `Bearer ${t.tokens.coordinator(SEED.institution)}` },
    payload: { nurseId: SEED.nurse, override: true, reason: 'set up the matrix' },
  });
  expect(assigned.statusCode, assigned.body).toBe(200);
  const alarm = await t.app.inject({
    method: 'POST',
    url: '/v1/alarms',
    headers: { authorization: `Bearer ${t.tokens.nurse(SEED.nurse, SEED.institution)}` },
    payload: { alarmId: 'authz-alarm-1', drill: true },
  });
  expect(alarm.statusCode, alarm.body).toBeLessThan(300);
  const spare = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: { authorization: `Bearer ${t.tokens.coordinator(SEED.institution)}` }, payload: MATRIX['POST /v1/orders']!.request({} as Ids).payload as object });
  expect(spare.statusCode, spare.body).toBe(201);
  ids = { orderId, spareOrderId: spare.json().id as string, alarmId: 'authz-alarm-1' };

  const sign = createTokenSigner(TEST_JWT_SECRET);
  const expiredSign = createTokenSigner(TEST_JWT_SECRET, -60);
  await t.deps.redis.sadd(t.deps.keys.disabledSubjects, 'coord-left');
  tokens = {
    anonymous: undefined,
    forged: createTokenSigner('some-other-secret-of-32-characters-xx')({ sub: 'admin-1', role: 'admin' }),
    expired: expiredSign({ sub: 'admin-1', role: 'admin' }),
    disabled: sign({ sub: 'coord-left', role: 'coordinator', institution: SEED.institution }),
    admin: t.tokens.admin(),
    coordinator: t.tokens.coordinator(SEED.institution),
    otherCoordinator: t.tokens.coordinator(SEED.otherInstitution),
    nurse: t.tokens.nurse(SEED.nurse, SEED.institution),
    otherNurse: t.tokens.nurse('n-other', SEED.institution),
    security: t.tokens.security(),
  };
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}, 60_000);
afterAll(() => t?.close());

async function call(route: string, actor: Actor): Promise<number> {
  const [method] = route.split(' ');
  const { url, payload } = MATRIX[route]!.request(ids);
  const token = tokens[actor];
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return res.statusCode;
}

describe('authorisation matrix', () => {
  it('covers every documented route', () => {
    const unclassified = documented.filter((r) => !MATRIX[r] && !PUBLIC.has(r));
    expect(unclassified).toEqual([]);
  });

  it('refuses every route to callers without a valid, live token (401)', async () => {
    for (const route of Object.keys(MATRIX)) {
      for (const actor of UNAUTHENTICATED) expect(`${route} as ${actor}: ${await call(route, actor)}`).toBe(`${route} as ${actor}: 401`);
    }
  });

  it('refuses every route to the roles and people it is not for (403), and lets the others through', async () => {
    const wrong: string[] = [];
    for (const [route, probe] of Object.entries(MATRIX)) {
      // The refused first: a refusal changes nothing, so the allowed calls that follow see the same state.
      const denied = IDENTIFIED.filter((a) => !probe.allowed.includes(a));
      for (const actor of [...denied, ...probe.allowed]) {
        const status = await call(route, actor);
        const allowed = probe.allowed.includes(actor);
        if (allowed ? status === 401 || status === 403 : status !== 403) wrong.push(`${route} as ${actor}: ${status}, expected ${allowed ? 'not 401/403' : '403'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets each role open only its own socket', async () => {
    const wrong: string[] = [];
    for (const [path, allowed] of Object.entries(SOCKETS)) {
      for (const actor of [...IDENTIFIED, ...UNAUTHENTICATED]) {
        const status = await handshake(`${t.wsUrl}${path}`, tokens[actor]);
        const expected = allowed.includes(actor) ? 101 : UNAUTHENTICATED.includes(actor) ? 401 : 403;
        if (status !== expected) wrong.push(`${path} as ${actor}: ${status}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

function handshake(url: string, token: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    ws.on('upgrade', () => {
      resolve(101);
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}
