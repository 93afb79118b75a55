import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nursing/testing';
import type { WelfareCheckinReply } from '@nursing/contracts';
import { bearer, record, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, publishOrderEvent, seedNurse, seedVisit } from '../fixtures.ts';

// Visits of 600 ms plus a 400 ms margin: the overdue alarm is due a second after arrival.
const VISIT_MS = 600;
const MARGIN_MS = 400;
let t: AlarmsTestApp;

beforeAll(async () => {
  t = await startAlarmsTestApp({ WELFARE_MARGIN_MS: String(MARGIN_MS) }, { visitDurationMs: () => VISIT_MS });
  for (const n of ['w1', 'w2', 'w3', 'w4', 'w5']) await seedNurse(t.deps.redis, t.keys, n);
});
afterAll(() => t?.close());

/** Dispatch's side of an arrival: the order hash moves to `arrived` and the event goes out. */
async function arrive(orderId: string, nurseId: string): Promise<number> {
  await seedVisit(t.deps.redis, t.keys, { orderId, nurseId, state: 'arrived' });
  const at = Date.now();
  publishOrderEvent(t.nc, t.subjects.orderEvent(INST, orderId), { orderId, nurseId, state: 'arrived', at: new Date(at).toISOString() });
  await waitFor(async () => (await t.deps.redis.exists(t.keys.welfare(orderId))) === 1, { message: 'welfare timer started' });
  return at;
}

async function checkin(nurseId: string, orderId: string): Promise<WelfareCheckinReply> {
  const msg = await t.nc.request(t.subjects.welfareCheckin, JSON.stringify({ nurseId, orderId }), { timeout: 5_000 });
  return msg.json<WelfareCheckinReply>();
}

describe('welfare timer', () => {
  it('raises an overdue alarm when the visit runs past its duration plus the margin', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const arrivedAt = await arrive('o-w1', 'w1');
    const overdue = await waitFor(() => events.messages.find((e) => e.alarm.nurseId === 'w1'), { timeoutMs: 8_000, message: 'overdue alarm' });
    expect(overdue.event).toBe('raised');
    expect(overdue.alarm).toMatchObject({ kind: 'overdue', source: 'welfare', orderId: 'o-w1', institutionId: INST, drill: false, status: 'open' });
    expect(Date.parse(overdue.alarm.raisedAt) - arrivedAt).toBeGreaterThanOrEqual(VISIT_MS + MARGIN_MS - 5);
    await sleep(1_000);
    expect(events.messages.filter((e) => e.alarm.nurseId === 'w1' && e.event === 'raised')).toHaveLength(1);

    // Still inside after the alarm: a check-in starts a new deadline, and missing it is a new alarm.
    expect(await checkin('w1', 'o-w1')).toMatchObject({ ok: true });
    const second = await waitFor(() => events.messages.find((e) => e.alarm.nurseId === 'w1' && e.alarm.alarmId !== overdue.alarm.alarmId), {
      timeoutMs: 5_000,
      message: 'second overdue alarm',
    });
    expect(second.alarm).toMatchObject({ kind: 'overdue', orderId: 'o-w1' });
    events.stop();
  });

  it('completion ends the timer: no alarm', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    await arrive('o-w2', 'w2');
    await t.deps.redis.hset(t.keys.order('o-w2'), 'state', 'completed');
    publishOrderEvent(t.nc, t.subjects.orderEvent(INST, 'o-w2'), { orderId: 'o-w2', nurseId: 'w2', state: 'completed' });
    await waitFor(async () => (await t.deps.redis.exists(t.keys.welfare('o-w2'))) === 0);
    await sleep(VISIT_MS + MARGIN_MS + 800);
    expect(events.messages.filter((e) => e.alarm.nurseId === 'w2')).toEqual([]);
    events.stop();
  });

  it('a visit that ended without its event (missed by the service) raises nothing either', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    await arrive('o-w5', 'w5');
    await t.deps.redis.hset(t.keys.order('o-w5'), 'state', 'completed');
    await sleep(VISIT_MS + MARGIN_MS + 800);
    expect(events.messages.filter((e) => e.alarm.nurseId === 'w5')).toEqual([]);
    expect(await t.deps.redis.exists(t.keys.welfare('o-w5'))).toBe(0);
    events.stop();
  });

  it('check-ins push the deadline back by the margin; when they stop, overdue follows one margin later', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const arrivedAt = await arrive('o-w3', 'w3');
    // Check in until well past the first deadline: no alarm meanwhile.
    let reply: WelfareCheckinReply | undefined;
    while (Date.now() < arrivedAt + VISIT_MS + MARGIN_MS + 600) {
      reply = await checkin('w3', 'o-w3');
      expect(reply.ok).toBe(true);
      await sleep(150);
    }
    if (!reply?.ok) throw new Error('check-in refused');
    expect(Date.parse(reply.deadlineAt)).toBeGreaterThan(arrivedAt + VISIT_MS + MARGIN_MS);
    expect(events.messages.filter((e) => e.alarm.nurseId === 'w3')).toEqual([]);
    const lastCheckin = Date.now();
    const overdue = await waitFor(() => events.messages.find((e) => e.alarm.nurseId === 'w3'), { timeoutMs: 5_000 });
    expect(Date.parse(overdue.alarm.raisedAt)).toBeGreaterThanOrEqual(lastCheckin - 200 + MARGIN_MS - 200);
    events.stop();
  });

  it('check-ins: HTTP for the nurse, refused for another nurse or a visit not in progress', async () => {
    await arrive('o-w4', 'w4');
    const ok = await t.app.inject({ method: 'POST', url: '/v1/welfare/checkin', headers: bearer(t.tokens.nurse('w4', INST)), payload: { orderId: 'o-w4' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ orderId: 'o-w4', deadlineAt: expect.any(String) });
    const other = await t.app.inject({ method: 'POST', url: '/v1/welfare/checkin', headers: bearer(t.tokens.nurse('w1', INST)), payload: { orderId: 'o-w4' } });
    expect(other.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/welfare/checkin', headers: bearer(t.tokens.security()), payload: { orderId: 'o-w4' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/v1/welfare/checkin', headers: bearer(t.tokens.nurse('w4', INST)), payload: {} })).statusCode).toBe(400);
    expect(await checkin('w4', 'no-such-order')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await t.deps.redis.hset(t.keys.order('o-w4'), 'state', 'completed');
    expect(await checkin('w4', 'o-w4')).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
    const garbage = await t.nc.request(t.subjects.welfareCheckin, '{"nurseId":1}', { timeout: 5_000 });
    expect(garbage.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
