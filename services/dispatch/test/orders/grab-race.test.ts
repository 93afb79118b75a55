import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsSubjects, type DispatchReply } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { CENTRE, orderBody } from '../fixtures.ts';
import { listen, seedCrowd } from '../city.ts';
import { startDispatchProcess, type DispatchProcess } from '../dispatch-process.ts';

// Exactly one winner, whatever the concurrency: 500 nurses grab the same order at the
// same moment, over NATS, answered by two dispatch instances (this process and a
// separate server process) racing on Redis.
const I = 'i1';
const NURSES = 500;
let t: DispatchTestApp;
let other: DispatchProcess;
let nc: NatsConnection;
let bus: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  t = await startDispatchTestApp();
  await seedCrowd(t, I, 'g', NURSES);
  other = await startDispatchProcess(t);
  nc = await connect({ servers: t.natsUrl });
  bus = await listen(t);
}, 60_000);
afterAll(async () => {
  await bus?.close();
  await nc?.close();
  await other?.stop();
  await t?.close();
});

describe('grab mode', () => {
  it('broadcasts to every eligible nurse without patient identity, and exactly one of 500 concurrent grabs wins', async () => {
    // The order is created on the other process: its index was loaded from Redis at start.
    const res = await fetch(`${other.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { ...bearer(t.tokens.coordinator(I)), 'content-type': 'application/json' },
      body: JSON.stringify(orderBody(CENTRE, { mode: 'grab' })),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const order = (await res.json()) as { id: string; state: string };
    expect(order.state).toBe('broadcast');
    await waitFor(() => bus.inbox.filter((i) => i.message.type === 'broadcast').length === NURSES, { timeoutMs: 10_000, message: 'all broadcasts' });
    const broadcast = bus.inbox.find((i) => i.message.type === 'broadcast')?.message;
    expect(broadcast).toMatchObject({ orderId: order.id, itemCode: 'picc_maintenance', area: expect.stringMatching(/^85/) });
    expect(bus.raw()).not.toMatch(/Wang Fang|13800138000|Century Avenue|"patient"/);

    const subjects = natsSubjects(t.ns);
    const replies = await Promise.all(
      Array.from({ length: NURSES }, async (_, i) => {
        const reply = await nc.request(subjects.dispatchGrab, JSON.stringify({ nurseId: `g${i}`, orderId: order.id }), { timeout: 20_000 });
        return reply.json<DispatchReply>();
      }),
    );
    const winners = replies.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const losers = replies.filter((r) => !r.ok);
    expect(losers).toHaveLength(NURSES - 1);
    expect(new Set(losers.map((r) => (r.ok ? '' : r.error.code)))).toEqual(new Set(['ORDER_TAKEN']));
    const winner = winners[0];
    if (!winner?.ok) throw new Error('no winner');
    expect(winner.patient?.name).toBe('Wang Fang');
    expect(winner.order.state).toBe('accepted');

    // The others are told it is taken.
    await waitFor(() => bus.inbox.filter((i) => i.message.type === 'taken').length === NURSES - 1, { timeoutMs: 10_000, message: 'taken to all others' });
    const stored = (await t.app.inject({ url: `/v1/orders/${order.id}`, headers: bearer(t.tokens.coordinator(I)) })).json();
    expect(stored.assignedNurseId).toBe(winner.order.assignedNurseId);
  }, 60_000);
});
