import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { natsSubjects, type DispatchReply } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, offset, orderBody } from '../fixtures.ts';
import { available, listen, qualifiedNurse, seedCity } from '../city.ts';

const I = 'i1';
let t: DispatchTestApp;
let bus: Awaited<ReturnType<typeof listen>>;
const coord = () => bearer(t.tokens.coordinator(I));
const nurse = (id: string) => bearer(t.tokens.nurse(id, I));

async function orderState(id: string, state: string) {
  return waitFor(async () => {
    const o = (await t.app.inject({ url: `/v1/orders/${id}`, headers: coord() })).json();
    return o.state === state ? o : undefined;
  }, { timeoutMs: 5_000, message: `order ${id} ${state}` });
}

beforeAll(async () => {
  t = await startDispatchTestApp({ OFFER_TTL_MS: '1000', TIMER_POLL_MS: '50' });
  bus = await listen(t);
  // Nearest first, each in its own 1 km band so ranking order is certain.
  await seedCity(t, I, [
    available(qualifiedNurse('n1', I), offset(CENTRE, 400)),
    available(qualifiedNurse('n2', I), offset(CENTRE, 1_500)),
    available(qualifiedNurse('n3', I), offset(CENTRE, 2_500)),
  ]);
  await new Promise((r) => setTimeout(r, 300));
});
afterAll(async () => {
  await bus.close();
  await t.close();
});

describe('push mode: offer, decline, expiry, accept, visit, rating', () => {
  let orderId: string;

  it('offers the nearest nurse first, without the patient identity', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord(), payload: orderBody(CENTRE) });
    expect(created.statusCode, created.body).toBe(201);
    orderId = created.json().id;
    const offered = await orderState(orderId, 'offered');
    expect(offered.offer.nurseId).toBe('n1');
    const offer = await bus.next('n1', 'offer', orderId);
    expect(offer.message).toMatchObject({ type: 'offer', orderId, itemCode: 'picc_maintenance', distanceMeters: 400 });
    expect(bus.raw()).not.toMatch(/Wang Fang|13800138000|Century Avenue/);
  });

  it('moves to the next nurse when one declines', async () => {
    const declined = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/decline`, headers: nurse('n1'), payload: { reason: 'too far for my schedule' } });
    expect(declined.statusCode, declined.body).toBe(200);
    expect((await orderState(orderId, 'offered')).offer.nurseId).toBe('n2');
  });

  it('moves on when an offer expires, and never offers anyone twice', async () => {
    await bus.next('n2', 'offer.withdrawn', orderId);
    const third = await waitFor(async () => {
      const o = (await t.app.inject({ url: `/v1/orders/${orderId}`, headers: coord() })).json();
      return o.offer?.nurseId === 'n3' ? o : undefined;
    });
    expect(third.state).toBe('offered');
    // n1 declined, n2 timed out: an accept from either is refused.
    const late = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/accept`, headers: nurse('n2') });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('OFFER_NOT_ACTIVE');
  });

  it('gives the patient to the nurse who accepts', async () => {
    const accepted = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/accept`, headers: nurse('n3') });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().patient).toMatchObject({ name: 'Wang Fang', phone: '13800138000' });
    expect(accepted.json().order).toMatchObject({ state: 'accepted', assignedNurseId: 'n3' });
    const assigned = await waitFor(() => bus.inbox.find((i) => i.nurseId === 'n3' && i.message.type === 'assigned'));
    expect(assigned.message).toMatchObject({ order: { id: orderId }, patient: { name: 'Wang Fang' } });
  });

  it('refuses illegal transitions with 409', async () => {
    const r = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/rating`, headers: coord(), payload: { score: 5 } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('ILLEGAL_TRANSITION');
    const other = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/progress`, headers: nurse('n1'), payload: { step: 'en_route' } });
    expect(other.statusCode).toBe(403);
    const early = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/progress`, headers: nurse('n3'), payload: { step: 'departed' } });
    expect(early.statusCode).toBe(409);
  });

  it('starts service only after identity is confirmed, and records the completion', async () => {
    const step = (payload: object) => t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/progress`, headers: nurse('n3'), payload });
    expect((await step({ step: 'en_route' })).json().state).toBe('en_route');
    expect((await step({ step: 'arrived' })).json().state).toBe('arrived');
    const unconfirmed = await step({ step: 'started' });
    expect(unconfirmed.statusCode).toBe(422);
    expect((await step({ step: 'started', identityConfirmed: true })).json().state).toBe('in_service');
    const done = await step({
      step: 'completed',
      completion: { consumables: [{ name: 'PICC dressing kit', quantity: 1 }], medicalWaste: { disposed: true, method: 'sharps box returned to centre' } },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('completed');
    // Leaving the home changes no state and is recorded once, however often it is reported.
    const left = await step({ step: 'departed', position: { lat: 31.24, lng: 121.48 } });
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json().state).toBe('completed');
    expect((await step({ step: 'departed' })).statusCode).toBe(200);
    const rated = await t.app.inject({ method: 'POST', url: `/v1/orders/${orderId}/rating`, headers: coord(), payload: { score: 5, comment: 'gentle and punctual' } });
    expect(rated.json().state).toBe('rated');
  });

  it('keeps every step in the timeline, in order, with actors', async () => {
    const r = await t.app.inject({ url: `/v1/orders/${orderId}/timeline`, headers: coord() });
    expect(r.statusCode).toBe(200);
    const actions = r.json().entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'created',
      'dispatching',
      'offered',
      'offer.sent',
      'declined',
      'offered',
      'offer.sent',
      'offer.expired',
      'offered',
      'offer.sent',
      'patient.disclosed',
      'accepted',
      'en_route',
      'arrived',
      'in_service',
      'completed',
      'departed',
      'rated',
    ]);
    const disclosure = r.json().entries.find((e: { action: string }) => e.action === 'patient.disclosed');
    expect(disclosure.details).toMatchObject({ to: 'n3', role: 'nurse' });
    const completed = r.json().entries.find((e: { action: string }) => e.action === 'completed');
    expect(completed.details.medicalWaste.disposed).toBe(true);
  });

  it('marks an order unassigned when nobody is left, and tells the coordinators', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord(), payload: orderBody(offset(CENTRE, 9_000, 270)) });
    const id = created.json().id;
    // n3 is busy with the visit above; n1 and n2 decline; nobody is left.
    for (let i = 0; i < 3; i++) {
      const o = (await t.app.inject({ url: `/v1/orders/${id}`, headers: coord() })).json();
      if (o.state !== 'offered') break;
      await t.app.inject({ method: 'POST', url: `/v1/orders/${id}/decline`, headers: nurse(o.offer.nurseId), payload: { reason: 'no' } });
    }
    await orderState(id, 'unassigned');
    await waitFor(() => bus.events.find((e) => e.order.id === id && e.event === 'unassigned'));
  });
});

describe('statistics', () => {
  it('counts visits per nurse, completions, acceptance time and ratings for the institution', async () => {
    const r = await t.app.inject({ url: '/v1/stats', headers: coord() });
    expect(r.statusCode, r.body).toBe(200);
    const stats = r.json();
    expect(stats).toMatchObject({ institutionId: I, completed: 1, cancelled: 0, unassigned: 1, visitsPerNurse: { n3: 1 }, averageRating: 5, ratings: 1 });
    expect(stats.timeToAcceptS.p50).toBeGreaterThan(1);
    expect((await t.app.inject({ url: '/v1/stats?institutionId=i2', headers: coord() })).statusCode).toBe(403);
  });
});

describe('refusals', () => {
  it.each([
    ['negative-list item', { itemCode: 'chemotherapy_infusion' }, 'NEGATIVE_LIST_ITEM'],
    ['negative-list procedure', { procedures: ['blood_transfusion'] }, 'NEGATIVE_LIST_ITEM'],
    ['forbidden drug', { drugs: [{ name: 'morphine', drugClass: 'narcotic' }] }, 'FORBIDDEN_DRUG'],
    ['unknown item', { itemCode: 'teeth_whitening' }, 'UNKNOWN_CATALOG_ITEM'],
    ['missing consent', { consent: undefined }, 'CONSENT_MISSING'],
    ['missing assessment', { assessment: undefined }, 'ASSESSMENT_MISSING'],
  ])('%s is refused with 422 and stores nothing', async (_name, changes, code) => {
    const before = (await t.app.inject({ url: '/v1/orders', headers: coord() })).json().orders.length;
    const body = JSON.parse(JSON.stringify(orderBody(CENTRE, changes)));
    const r = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: coord(), payload: body });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().error.code).toBe(code);
    const after = (await t.app.inject({ url: '/v1/orders', headers: coord() })).json().orders.length;
    expect(after).toBe(before);
  });

  it('answers a malformed NATS request with a coded error and changes nothing', async () => {
    const nc = await connect({ servers: t.natsUrl });
    try {
      const subjects = natsSubjects(t.ns);
      for (const payload of ['not json', JSON.stringify({ nurseId: 'n1' }), JSON.stringify({ nurseId: 'n1', orderId: 'o.1' })]) {
        const reply = (await nc.request(subjects.dispatchAccept, payload, { timeout: 5_000 })).json<DispatchReply>();
        expect(reply.ok).toBe(false);
        if (!reply.ok) expect(reply.error.code).toBe('VALIDATION_FAILED');
      }
      const missing = (await nc.request(subjects.dispatchAccept, JSON.stringify({ nurseId: 'n1', orderId: 'nope' }), { timeout: 5_000 })).json<DispatchReply>();
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await nc.close();
    }
  });

  it('a nurse may not create orders', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: nurse('n1'), payload: orderBody(CENTRE) });
    expect(r.statusCode).toBe(403);
  });
});
