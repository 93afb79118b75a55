import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, startGatewayTestEnv, type Frame, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { natsSubjects, type OrderEvent } from '@nursing/contracts';
import { CITY_BOX, PEOPLES_SQUARE, north, orderFixture, seedNurse } from '../fixtures.ts';

const positionsOf = (frames: Frame[]): Array<{ nurseId: string; lat: number; lng: number }> =>
  frames.filter((f) => f.type === 'positions').flatMap((f) => f['nurses'] as Array<{ nurseId: string; lat: number; lng: number }>);

describe('live map across two gateway instances', () => {
  let env: GatewayTestEnv;
  const sockets: TestSocket[] = [];
  const open = async (instance: number, path: string, token: string) => {
    const s = await openSocket(`${env.gateways[instance]!.wsUrl}${path}`, token);
    sockets.push(s);
    return s;
  };
  const watch = async (instance: number, institution: string, sub?: string) => {
    const map = await open(instance, '/ws/coordinator', env.tokens.coordinator(institution, sub));
    map.send({ type: 'viewport', id: 'v1', ...CITY_BOX });
    await map.next((f) => f.type === 'ack' && f['id'] === 'v1');
    return map;
  };
  const report = async (nurse: TestSocket, at: { lat: number; lng: number }, id: string) => {
    nurse.send({ type: 'location', id, ...at, atMs: Date.now() });
    const answer = await nurse.next((f) => f['id'] === id);
    expect(answer).toMatchObject({ type: 'ack', of: 'location', ok: true });
  };

  beforeAll(async () => {
    env = await startGatewayTestEnv(2);
    const { redis, keys } = env.gateways[0]!.deps;
    await seedNurse(redis, keys, 'n-map-a', 'inst-a');
    await seedNurse(redis, keys, 'n-map-out', 'inst-a');
    await seedNurse(redis, keys, 'n-map-in', 'inst-a');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await env?.close();
  });

  it('delivers a location reported on instance A to a coordinator on instance B within a flush, with her id', async () => {
    const map = await watch(1, 'inst-a');
    const nurse = await open(0, '/ws/nurse', env.tokens.nurse('n-map-a', 'inst-a'));
    const sentAt = Date.now();
    await report(nurse, PEOPLES_SQUARE, 'l1');
    const frame = await map.next((f) => f.type === 'positions', 2000);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(frame['nurses']).toEqual([expect.objectContaining({ nurseId: 'n-map-a', ...PEOPLES_SQUARE })]);
  });

  it('delivers a location to a map on the same instance, from what the instance stored', async () => {
    const { redis, keys } = env.gateways[0]!.deps;
    await seedNurse(redis, keys, 'n-map-local', 'inst-a');
    const map = await watch(0, 'inst-a', 'coord-local');
    const nurse = await open(0, '/ws/nurse', env.tokens.nurse('n-map-local', 'inst-a'));
    await report(nurse, north(PEOPLES_SQUARE, 400), 'loc1');
    const frame = await map.next((f) => f.type === 'positions' && positionsOf([f]).some((p) => p.nurseId === 'n-map-local'), 2000);
    expect(positionsOf([frame]).filter((p) => p.nurseId === 'n-map-local')).toEqual([expect.objectContaining(north(PEOPLES_SQUARE, 400))]);
  });

  it('does not deliver a nurse outside the viewport', async () => {
    const map = await watch(1, 'inst-a', 'coord-out');
    const outside = await open(0, '/ws/nurse', env.tokens.nurse('n-map-out', 'inst-a'));
    const inside = await open(0, '/ws/nurse', env.tokens.nurse('n-map-in', 'inst-a'));
    // Just north of the box: very likely the same coarse cell, so only the box test keeps her off the map.
    await report(outside, { lat: CITY_BOX.north + 0.01, lng: 121.45 }, 'o1');
    await report(inside, north(PEOPLES_SQUARE, 200), 'i1');
    await map.next((f) => f.type === 'positions' && positionsOf([f]).some((p) => p.lat === north(PEOPLES_SQUARE, 200).lat));
    const ids = positionsOf(map.frames).map((p) => p.nurseId);
    expect(ids).toContain('n-map-in');
    expect(ids).not.toContain('n-map-out');
    expect(positionsOf(map.frames).every((p) => p.lat <= CITY_BOX.north)).toBe(true);
  });

  it('shows a nurse of another institution under a stable anonymous id', async () => {
    const map = await watch(0, 'inst-b');
    const nurse = await open(1, '/ws/nurse', env.tokens.nurse('n-map-a', 'inst-a'));
    const herLats = [north(PEOPLES_SQUARE, 30).lat, north(PEOPLES_SQUARE, 60).lat];
    await report(nurse, north(PEOPLES_SQUARE, 30), 'a1');
    const first = await map.next((f) => f.type === 'positions' && positionsOf([f]).some((p) => p.lat === herLats[0]));
    const seen = positionsOf([first]).find((p) => p.lat === herLats[0]);
    expect(seen?.nurseId).toMatch(/^anon-[0-9a-f]{8}$/);
    expect(JSON.stringify(map.frames)).not.toContain('n-map-a');
    await report(nurse, north(PEOPLES_SQUARE, 60), 'a2');
    await map.next((f) => f.type === 'positions' && positionsOf([f]).some((p) => p.lat === herLats[1]));
    // Other nurses may show up too (a status change re-sends a marker); hers keep one id.
    const hers = positionsOf(map.frames).filter((p) => herLats.includes(p.lat));
    expect(hers.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hers.map((p) => p.nurseId))).toEqual(new Set([seen?.nurseId]));
  });

  it('sends a snapshot of stored positions inside a new viewport', async () => {
    const map = await open(0, '/ws/coordinator', env.tokens.coordinator('inst-a', 'coord-snap'));
    map.send({ type: 'viewport', id: 's1', ...CITY_BOX });
    const snapshot = await map.next((f) => f.type === 'snapshot');
    const ids = (snapshot['nurses'] as Array<{ nurseId: string }>).map((n) => n.nurseId);
    expect(ids).toContain('n-map-a');
    expect(ids).not.toContain('n-map-out');
  });

  it('refuses an invalid viewport with an error frame', async () => {
    const map = await open(0, '/ws/coordinator', env.tokens.coordinator('inst-a', 'coord-bad'));
    map.send({ type: 'viewport', id: 'bad', west: 121.5, south: 31.2, east: 121.4, north: 31.3 });
    expect(await map.next((f) => f['id'] === 'bad')).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
  });

  it("forwards order events of the coordinator's institution only", async () => {
    const own = await watch(1, 'inst-a', 'coord-events');
    const other = await watch(1, 'inst-b', 'coord-events-b');
    const subjects = natsSubjects(env.ns);
    const event: OrderEvent = { type: 'order.event', event: 'accepted', order: orderFixture({ id: 'o-ev' }), nurseId: 'n-map-a', at: new Date().toISOString() };
    env.nc.publish(subjects.orderEvent('inst-a', 'o-ev'), new TextEncoder().encode(JSON.stringify(event)));
    expect(await own.next((f) => f.type === 'order.event')).toEqual(event);
    own.send({ type: 'ping', id: 'p' });
    other.send({ type: 'ping', id: 'p' });
    await Promise.all([own.next((f) => f.type === 'pong'), other.next((f) => f.type === 'pong')]);
    expect(other.frames.some((f) => f.type === 'order.event')).toBe(false);
  });

  it('re-sends a nurse on the map when only her status changes, across instances', async () => {
    const { redis, keys } = env.gateways[0]!.deps;
    await seedNurse(redis, keys, 'n-map-status', 'inst-a');
    const map = await watch(1, 'inst-a', 'coord-status');
    const nurse = await open(0, '/ws/nurse', env.tokens.nurse('n-map-status', 'inst-a'));
    nurse.send({ type: 'status', id: 's-av', status: 'available' });
    await nurse.next((f) => f['id'] === 's-av');
    await report(nurse, north(PEOPLES_SQUARE, 90), 'st1');
    await map.next((f) => f.type === 'positions' && positionsOf([f]).some((p) => p.nurseId === 'n-map-status'));
    const countBefore = map.frames.length;

    nurse.send({ type: 'status', id: 's-busy', status: 'busy' });
    await nurse.next((f) => f['id'] === 's-busy');
    const frame = await map.next(
      (f) => map.frames.indexOf(f) >= countBefore && f.type === 'positions' && positionsOf([f]).some((p) => p.nurseId === 'n-map-status'),
      2000,
    );
    const entry = (frame['nurses'] as Array<{ nurseId: string; status?: string; lat: number }>).find((p) => p.nurseId === 'n-map-status');
    expect(entry).toMatchObject({ status: 'busy', lat: north(PEOPLES_SQUARE, 90).lat });

    const late = await open(0, '/ws/coordinator', env.tokens.coordinator('inst-a', 'coord-status-late'));
    late.send({ type: 'viewport', id: 'late', ...CITY_BOX });
    const snapshot = await late.next((f) => f.type === 'snapshot');
    expect((snapshot['nurses'] as Array<{ nurseId: string; status?: string }>).find((p) => p.nurseId === 'n-map-status')).toMatchObject({ status: 'busy' });
  });
});
