import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, offset, orderBody } from '../fixtures.ts';
import { available, qualifiedNurse, seedCity } from '../city.ts';

// Every nurse below differs from a qualified one in exactly one respect, so each rule
// is shown to exclude a nurse on its own, and the candidates endpoint must name it.
const I = 'i1';
const near = (m: number) => offset(CENTRE, m, 45);
const TABLE = [
  ['n-title', available(qualifiedNurse('n-title', I, { title: 'nurse' }), near(800)), 'title_below_nurse_practitioner'],
  ['n-years', available(qualifiedNurse('n-years', I, { yearsExperience: 4 }), near(900)), 'under_5_years'],
  ['n-untrained', available(qualifiedNurse('n-untrained', I, { homeServiceTrained: false }), near(1000)), 'not_trained'],
  ['n-suspended', available(qualifiedNurse('n-suspended', I, { suspended: true }), near(1100)), 'suspended'],
  ['n-nocert', available(qualifiedNurse('n-nocert', I, { certifications: [] }), near(1200)), 'missing_certification'],
  ['n-expired', available(qualifiedNurse('n-expired', I, { certifications: [{ code: 'picc', expiresOn: '2020-01-01' }] }), near(1300)), 'certification_expired'],
  ['n-offline', { nurse: qualifiedNurse('n-offline', I), at: near(1400), status: 'offline' as const }, 'not_online'],
  ['n-busy', { nurse: qualifiedNurse('n-busy', I), at: near(1500), status: 'busy' as const }, 'busy'],
  ['n-stale', available(qualifiedNurse('n-stale', I), near(1600), { positionAgeMs: 5 * 60_000 }), 'position_stale'],
  ['n-far', available(qualifiedNurse('n-far', I), near(10_050)), 'too_far'],
  ['n-nopos', { nurse: qualifiedNurse('n-nopos', I), status: 'available' as const }, 'no_position'],
] as const;

let t: DispatchTestApp;
let orderId: string;

beforeAll(async () => {
  // Long TTL: the order must stay offered to n-good while we look at the candidates.
  t = await startDispatchTestApp({ OFFER_TTL_MS: '600000' });
  await seedCity(t, 'i2', [available(qualifiedNurse('n-other', 'i2'), near(500))]);
  await seedCity(t, I, [available(qualifiedNurse('n-good', I), near(9_990)), ...TABLE.map(([, seeded]) => seeded)]);
  // Let the index catch up with every registration before the order is matched.
  await new Promise((r) => setTimeout(r, 300));
  const created = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: bearer(t.tokens.coordinator(I)), payload: orderBody(CENTRE) });
  expect(created.statusCode, created.body).toBe(201);
  orderId = created.json().id;
});
afterAll(() => t.close());

describe('eligibility: each rule alone excludes a nurse', () => {
  it('offers the order to the only qualified nurse, 9,990 m away', async () => {
    const order = await waitFor(async () => {
      const o = (await t.app.inject({ url: `/v1/orders/${orderId}`, headers: bearer(t.tokens.coordinator(I)) })).json();
      return o.state === 'offered' ? o : undefined;
    });
    expect(order.offer.nurseId).toBe('n-good');
  });

  it.each(TABLE.map(([id, , reason]) => [id, reason]))('%s is excluded for %s, and only for that', async (id, reason) => {
    const r = await t.app.inject({ url: `/v1/orders/${orderId}/candidates`, headers: bearer(t.tokens.coordinator(I)) });
    const body = r.json();
    const entry = body.ineligible.find((n: { nurseId: string }) => n.nurseId === id);
    expect(entry, JSON.stringify(body)).toBeDefined();
    expect(entry.reasons.map((x: { code: string }) => x.code)).toEqual([reason]);
    expect(entry.reasons[0].text.length).toBeGreaterThan(5);
  });

  it('never identifies nurses of other institutions, only counts them', async () => {
    const body = (await t.app.inject({ url: `/v1/orders/${orderId}/candidates`, headers: bearer(t.tokens.coordinator(I)) })).json();
    expect(JSON.stringify(body)).not.toContain('n-other');
    expect(body.otherInstitutionsNearby).toBe(1);
  });

  it('refuses the candidates of another institution\'s order', async () => {
    const r = await t.app.inject({ url: `/v1/orders/${orderId}/candidates`, headers: bearer(t.tokens.coordinator('i2')) });
    expect(r.statusCode).toBe(403);
  });
});
