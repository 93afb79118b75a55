import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, offset, orderBody } from '../fixtures.ts';
import { available, listen, qualifiedNurse, seedCity } from '../city.ts';

// A nurse serves one order at a time: holding an offer of one order and a broadcast of
// another, she can win only one of them, even when she answers both at the same moment.
const I = 'i1';
let t: DispatchTestApp;
let bus: Awaited<ReturnType<typeof listen>>;
const coord = () => bearer(t.tokens.coordinator(I));
const nurse = (id: string) => bearer(t.tokens.nurse(id, I));

beforeAll(async () => {
  t = await startDispatchTestApp({ OFFER_TTL_MS: '30000', GRAB_WINDOW_MS: '30000' });
  bus = await listen(t);
  await seedCity(t, I, [
    available(qualifiedNurse('n1', I), offset(CENTRE, 300)),
    available(qualifiedNurse('n2', I), offset(CENTRE, 2_500)),
    available(qualifiedNurse('n3', I), offset(CENTRE, 300, 180)),
    available(qualifiedNurse('n4', I), offset(CENTRE, 2_500, 180)),
  ]);
  await new Promise((r) => setTimeout(r, 300));
});
afterAll(async () => {
  await bus.close();
  await t.close();
});

async function pushOfferedTo(nurseId: string) {
  const created = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord(), payload: orderBody(CENTRE) });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  await bus.next(nurseId, 'offer', id);
  return id;
}
async function broadcastTo(nurseId: string) {
  const created = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord(), payload: orderBody(CENTRE, { mode: 'grab' }) });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  await bus.next(nurseId, 'broadcast', id);
  return id;
}

describe('one order at a time', () => {
  it('refuses a second order to a nurse who is serving one (409 NURSE_BUSY)', async () => {
    const offered = await pushOfferedTo('n1');
    const broadcast = await broadcastTo('n1');
    const grab = await t.app.inject({ method: 'POST', url: `/v1/orders/${broadcast}/grab`, headers: nurse('n1') });
    expect(grab.statusCode, grab.body).toBe(200);
    const accept = await t.app.inject({ method: 'POST', url: `/v1/orders/${offered}/accept`, headers: nurse('n1') });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error.code).toBe('NURSE_BUSY');
    // Asking again for the order she did win is still fine (a retried request).
    expect((await t.app.inject({ method: 'POST', url: `/v1/orders/${broadcast}/grab`, headers: nurse('n1') })).statusCode).toBe(200);
  });

  it('lets her win exactly one of two orders answered at the same moment', async () => {
    const offered = await pushOfferedTo('n3');
    const broadcast = await broadcastTo('n3');
    const [accept, grab] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/v1/orders/${offered}/accept`, headers: nurse('n3') }),
      t.app.inject({ method: 'POST', url: `/v1/orders/${broadcast}/grab`, headers: nurse('n3') }),
    ]);
    const codes = [accept.statusCode, grab.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const lost = accept.statusCode === 409 ? accept : grab;
    expect(lost.json().error.code).toBe('NURSE_BUSY');
    const states = await Promise.all(
      [offered, broadcast].map(async (id) => (await t.app.inject({ url: `/v1/orders/${id}`, headers: coord() })).json() as { state: string; assignedNurseId?: string }),
    );
    expect(states.filter((o) => o.assignedNurseId === 'n3')).toHaveLength(1);
  });
});
