import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv } from '../harness.ts';
import { PEOPLES_SQUARE, north, orderFixture, seedOrder } from '../fixtures.ts';

describe('GET /v1/orders/{id}/track', () => {
  let env: GatewayTestEnv;
  const t0 = Date.now() - 120_000;
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
    const { redis, keys } = env.gateways[0]!.deps;
    await seedOrder(
      redis,
      keys,
      orderFixture({ id: 'o-track', institutionId: 'inst-a', state: 'completed', assignedNurseId: 'n-track', acceptedAt: new Date(t0).toISOString(), completedAt: new Date(t0 + 60_000).toISOString() }),
    );
    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-track', 'inst-a'));
    const fixes = [
      { ...north(PEOPLES_SQUARE, 900), atMs: t0 - 10_000 }, // before acceptance: not part of the track
      { ...north(PEOPLES_SQUARE, 600), atMs: t0 + 10_000 },
      { ...north(PEOPLES_SQUARE, 300), atMs: t0 + 20_000 },
      { ...north(PEOPLES_SQUARE, 0), atMs: t0 + 30_000 },
      { ...north(PEOPLES_SQUARE, 300), atMs: t0 + 70_000 }, // after completion
    ];
    for (const [i, fix] of fixes.entries()) {
      nurse.send({ type: 'location', id: `f${i}`, ...fix });
      await nurse.next((f) => f['id'] === `f${i}`);
    }
    nurse.close();
  });
  afterAll(() => env?.close());

  const get = (token: string, id = 'o-track') =>
    env.gateways[0]!.app.inject({ method: 'GET', url: `/v1/orders/${id}/track`, headers: { authorization: `Bearer ${token}` } });

  it("returns the nurse's trail between acceptance and completion as a GeoJSON LineString", async () => {
    const res = await get(env.tokens.coordinator('inst-a'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('Feature');
    expect(body.geometry.type).toBe('LineString');
    expect(body.geometry.coordinates).toEqual([
      [PEOPLES_SQUARE.lng, north(PEOPLES_SQUARE, 600).lat],
      [PEOPLES_SQUARE.lng, north(PEOPLES_SQUARE, 300).lat],
      [PEOPLES_SQUARE.lng, PEOPLES_SQUARE.lat],
    ]);
    expect(body.properties).toMatchObject({ orderId: 'o-track', nurseId: 'n-track', timestamps: [t0 + 10_000, t0 + 20_000, t0 + 30_000] });
  });

  it('is for coordinators of the order\'s institution and admins only', async () => {
    expect((await get(env.tokens.admin())).statusCode).toBe(200);
    expect((await get(env.tokens.coordinator('inst-b'))).statusCode).toBe(403);
    expect((await get(env.tokens.nurse('n-track', 'inst-a'))).statusCode).toBe(403);
    expect((await get(env.tokens.coordinator('inst-a'), 'o-missing')).statusCode).toBe(404);
  });
});
