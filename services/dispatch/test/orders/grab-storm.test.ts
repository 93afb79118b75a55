import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsSubjects, type DispatchReply } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, orderBody } from '../fixtures.ts';
import { listen, seedCrowd } from '../city.ts';

// A grab storm on ONE dispatch instance, over NATS with real Redis: the grabs arriving
// while the first is being decided wait for it instead of each claiming the nurse, failing
// the transition and releasing her again (grab-coalescer.ts). grab-race.test.ts covers
// two instances racing.
const I = 'i1';
const NURSES = 200;
let t: DispatchTestApp;
let nc: NatsConnection;
let bus: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  t = await startDispatchTestApp({ GRAB_WINDOW_MS: '30000' });
  await seedCrowd(t, I, 's', NURSES);
  nc = await connect({ servers: t.natsUrl });
  bus = await listen(t);
}, 60_000);
afterAll(async () => {
  await bus?.close();
  await nc?.close();
  await t?.close();
});

async function broadcastOrder(recipients: number): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/orders', headers: bearer(t.tokens.coordinator(I)), payload: orderBody(CENTRE, { mode: 'grab' }) });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  await waitFor(() => bus.inbox.filter((i) => i.message.type === 'broadcast' && 'orderId' in i.message && i.message.orderId === id).length === recipients, {
    timeoutMs: 10_000,
    message: `broadcast of ${id} to ${recipients}`,
  });
  return id;
}

/** Publishes every grab before any reply can come back: they reach dispatch in this order, in a burst. */
async function storm(orderId: string, nurseIds: string[]): Promise<DispatchReply[]> {
  const subject = natsSubjects(t.ns).dispatchGrab;
  return Promise.all(nurseIds.map(async (nurseId) => (await nc.request(subject, JSON.stringify({ nurseId, orderId }), { timeout: 20_000 })).json<DispatchReply>()));
}

const codes = (replies: DispatchReply[]) => replies.map((r) => (r.ok ? 'won' : r.error.code));

describe('grab storm on one instance', () => {
  let firstWinner = '';

  it('claims only the winner in Redis; every other grab is answered ORDER_TAKEN', async () => {
    const orderId = await broadcastOrder(NURSES);
    const claims = vi.spyOn(t.deps.redis, 'claimNurse');
    const nurses = Array.from({ length: NURSES }, (_, i) => `s${i}`);
    const replies = await storm(orderId, nurses);
    // Auto-pipelining calls the command again on its pipeline: count the service's own calls.
    const claimed = claims.mock.calls.filter((_, i) => claims.mock.contexts[i] === t.deps.redis).map(([key]) => key);
    claims.mockRestore();

    expect(codes(replies).filter((c) => c === 'won')).toHaveLength(1);
    expect(codes(replies).filter((c) => c === 'ORDER_TAKEN')).toHaveLength(NURSES - 1);
    // Without coalescing, every grab that read the order before the winner's transition
    // (in a burst, nearly all of them) claimed and released its nurse.
    expect(claimed).toHaveLength(1);
    const winner = replies.find((r) => r.ok);
    if (!winner?.ok) throw new Error('no winner');
    firstWinner = winner.order.assignedNurseId ?? '';
    expect(claimed[0]).toContain(`{n:${firstWinner}}`);
    const stored = (await t.app.inject({ url: `/v1/orders/${orderId}`, headers: bearer(t.tokens.coordinator(I)) })).json();
    expect(stored).toMatchObject({ state: 'accepted', assignedNurseId: firstWinner });

    // Her app's retry gets the same answer; the others are told the order is taken.
    const [again] = await storm(orderId, [firstWinner]);
    expect(again).toMatchObject({ ok: true, order: { id: orderId, assignedNurseId: firstWinner } });
    const told = () => new Set(bus.inbox.filter((i) => i.message.type === 'taken' && 'orderId' in i.message && i.message.orderId === orderId).map((i) => i.nurseId));
    await waitFor(() => told().size === NURSES - 1, { timeoutMs: 10_000, message: 'taken to all others' });
    expect(told().has(firstWinner)).toBe(false);
  }, 60_000);

  it('lets the rest go ahead when the first grab of the storm fails for a reason of its own', async () => {
    // The first winner is busy now, so not among this order's recipients: her grab, sent
    // first, is refused without taking the order, and one of the others still wins it.
    const orderId = await broadcastOrder(NURSES - 1);
    const others = Array.from({ length: NURSES }, (_, i) => `s${i}`).filter((id) => id !== firstWinner);
    const [first, ...rest] = await storm(orderId, [firstWinner, ...others]);

    expect(first).toMatchObject({ ok: false, error: { code: 'NURSE_BUSY' } });
    expect(codes(rest).filter((c) => c === 'won')).toHaveLength(1);
    expect(codes(rest).filter((c) => c === 'ORDER_TAKEN')).toHaveLength(others.length - 1);
    const stored = (await t.app.inject({ url: `/v1/orders/${orderId}`, headers: bearer(t.tokens.coordinator(I)) })).json();
    expect(stored.assignedNurseId).not.toBe(firstWinner);
  }, 60_000);
});
