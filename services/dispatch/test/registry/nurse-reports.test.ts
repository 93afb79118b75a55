import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { coarseCellOf } from '@nursing/geo';
import { bearer } from '../harness.ts';
import { institution, nurseCreate, SHANGHAI, seedInstitution, seedNurse, startRegistryTestApp, type RegistryTestApp } from './registry-test-app.ts';

let t: RegistryTestApp;
let listener: NatsConnection;

const own = (id: string) => bearer(t.tokens.nurse(id, 'inst-a'));
type Headers = Record<string, string>;
const putLocation = (id: string, headers: Headers, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/v1/nurses/${id}/location`, headers, payload });
const putStatus = (id: string, headers: Headers, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/v1/nurses/${id}/status`, headers, payload });

beforeAll(async () => {
  t = await startRegistryTestApp();
  listener = await connect({ servers: t.natsUrl });
  await seedInstitution(t, institution('inst-a'));
  for (const id of ['n-loc', 'n-other', 'n-status']) await seedNurse(t, nurseCreate(id, 'inst-a'));
});
afterAll(async () => {
  await listener?.close();
  await t?.close();
});

describe("a nurse's location", () => {
  it('is stored and published on its coarse-cell subject', async () => {
    const report = { lat: SHANGHAI.lat, lng: SHANGHAI.lng, accuracyM: 8, headingDeg: 90, speedMps: 1.2, atMs: Date.now() };
    const sub = listener.subscribe(t.deps.subjects.locationsInCell(coarseCellOf(report)), { max: 1, timeout: 2_000 });
    await listener.flush();

    const res = await putLocation('n-loc', own('n-loc'), report);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    expect(await t.presence.getPosition('n-loc')).toEqual({ nurseId: 'n-loc', ...report });
    for await (const msg of sub) expect(msg.json()).toEqual([{ nurseId: 'n-loc', ...report }]);
    expect(sub.getProcessed()).toBe(1);
  });

  it("refuses another nurse's location with 403 and changes nothing", async () => {
    const before = await t.presence.getPosition('n-loc');
    const res = await putLocation('n-loc', own('n-other'), { lat: 31.3, lng: 121.5, atMs: Date.now() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await t.presence.getPosition('n-loc')).toEqual(before);
    expect(await t.presence.getPosition('n-other')).toBeUndefined();
  });

  it.each<[string, () => Headers, number, string]>([
    ['a coordinator', () => bearer(t.tokens.coordinator('inst-a')), 403, 'FORBIDDEN'],
    ['an admin', () => bearer(t.tokens.admin()), 403, 'FORBIDDEN'],
    ['no token', () => ({}), 401, 'UNAUTHENTICATED'],
  ])('refuses %s', async (_who, headers, status, code) => {
    const res = await putLocation('n-loc', headers(), { lat: 31.3, lng: 121.5, atMs: Date.now() });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it.each<[string, () => object, string]>([
    ['a fix more than 5 minutes ahead (clock skew)', () => ({ lat: 31.3, lng: 121.5, atMs: Date.now() + 5 * 60_000 + 5_000 }), 'clock skew'],
    ['a latitude out of range', () => ({ lat: 91, lng: 121.5, atMs: Date.now() }), '/lat'],
    ['a missing timestamp', () => ({ lat: 31.3, lng: 121.5 }), 'atMs'],
    ['an unknown field', () => ({ lat: 31.3, lng: 121.5, atMs: Date.now(), altitude: 3 }), 'altitude'],
  ])('refuses %s with 400 and stores nothing', async (_case, payload, mention) => {
    const before = await t.presence.getPosition('n-loc');
    const res = await putLocation('n-loc', own('n-loc'), payload());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toContain(mention);
    expect(await t.presence.getPosition('n-loc')).toEqual(before);
  });

  it('accepts a fix slightly ahead (phone clocks drift)', async () => {
    const report = { lat: 31.24, lng: 121.48, atMs: Date.now() + 60_000 };
    expect((await putLocation('n-loc', own('n-loc'), report)).statusCode).toBe(204);
    expect(await t.presence.getPosition('n-loc')).toEqual({ nurseId: 'n-loc', ...report });
  });

  it('answers 404 for a nurse who is not registered', async () => {
    const res = await putLocation('n-ghost', own('n-ghost'), { lat: 31.3, lng: 121.5, atMs: Date.now() });
    expect(res.statusCode).toBe(404);
    expect(await t.presence.getPosition('n-ghost')).toBeUndefined();
  });
});

describe("a nurse's status", () => {
  it.each(['available', 'busy', 'offline'] as const)('stores and publishes %s', async (status) => {
    const sub = listener.subscribe(t.deps.subjects.presence('n-status'), { max: 1, timeout: 2_000 });
    await listener.flush();
    const before = Date.now();
    const res = await putStatus('n-status', own('n-status'), { status });
    expect(res.statusCode).toBe(204);
    const stored = await t.presence.getPresence('n-status');
    expect(stored).toMatchObject({ nurseId: 'n-status', status });
    expect(stored!.atMs).toBeGreaterThanOrEqual(before);
    for await (const msg of sub) expect(msg.json()).toEqual(stored);
  });

  it.each<[string, string, () => Headers, object, number, string]>([
    ["another nurse's", 'n-status', () => own('n-other'), { status: 'offline' }, 403, 'FORBIDDEN'],
    ['a coordinator setting it', 'n-status', () => bearer(t.tokens.coordinator('inst-a')), { status: 'offline' }, 403, 'FORBIDDEN'],
    ['an unknown status', 'n-status', () => own('n-status'), { status: 'asleep' }, 400, 'VALIDATION_FAILED'],
    ['an unregistered nurse', 'n-ghost', () => own('n-ghost'), { status: 'available' }, 404, 'NOT_FOUND'],
  ])('refuses %s and changes nothing', async (_case, id, headers, payload, status, code) => {
    const before = await t.presence.getPresence(id);
    const res = await putStatus(id, headers(), payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await t.presence.getPresence(id)).toEqual(before);
  });
});
