import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, offset, orderBody } from '../fixtures.ts';
import { available, qualifiedNurse, seedCity } from '../city.ts';
import { startDispatchProcess } from '../dispatch-process.ts';

// Timers live in Redis, not in the process that set them: kill -9 the instance that
// made an offer (or opened a grab window) and another instance still moves the order on.
const I = 'i1';
let t: DispatchTestApp;

beforeAll(async () => {
  t = await startDispatchTestApp({ OFFER_TTL_MS: '1500', TIMER_POLL_MS: '50' });
  await seedCity(t, I, [available(qualifiedNurse('n1', I), offset(CENTRE, 300)), available(qualifiedNurse('n2', I), offset(CENTRE, 1_800))]);
}, 30_000);
afterAll(() => t.close());

async function createOn(baseUrl: string, changes: object) {
  const res = await fetch(`${baseUrl}/v1/orders`, {
    method: 'POST',
    headers: { ...bearer(t.tokens.coordinator(I)), 'content-type': 'application/json' },
    body: JSON.stringify(orderBody(CENTRE, changes)),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; state: string; offer?: { nurseId: string } };
}

const stateOf = async (id: string) => (await t.app.inject({ url: `/v1/orders/${id}`, headers: bearer(t.tokens.coordinator(I)) })).json();

describe('an instance dies mid-dispatch', () => {
  it('mid-offer: the offer still expires and the next nurse is offered', async () => {
    const doomed = await startDispatchProcess(t, { OFFER_TTL_MS: '1500', TIMER_POLL_MS: '5000' });
    const order = await createOn(doomed.baseUrl, { mode: 'push' });
    expect(order.state).toBe('offered');
    expect(order.offer?.nurseId).toBe('n1');
    await doomed.kill9();
    const moved = await waitFor(async () => {
      const o = await stateOf(order.id);
      return o.offer?.nurseId === 'n2' ? o : undefined;
    }, { timeoutMs: 8_000, message: 'offer moved to n2 after the crash' });
    expect(moved.state).toBe('offered');
    const timeline = (await t.app.inject({ url: `/v1/orders/${order.id}/timeline`, headers: bearer(t.tokens.coordinator(I)) })).json();
    expect(timeline.entries.map((e: { action: string }) => e.action)).toContain('offer.expired');
  }, 30_000);

  it('mid-grab: the grab window still closes and the order falls back to push', async () => {
    const doomed = await startDispatchProcess(t, { GRAB_WINDOW_MS: '1500', TIMER_POLL_MS: '5000' });
    const order = await createOn(doomed.baseUrl, { mode: 'grab' });
    expect(order.state).toBe('broadcast');
    await doomed.kill9();
    const fallback = await waitFor(async () => {
      const o = await stateOf(order.id);
      return o.state === 'offered' ? o : undefined;
    }, { timeoutMs: 8_000, message: 'grab fell back to push after the crash' });
    expect(['n1', 'n2']).toContain(fallback.offer.nurseId);
  }, 30_000);
});
