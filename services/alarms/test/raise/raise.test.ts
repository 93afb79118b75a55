import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nursing/testing';
import type { Alarm, AuditEntry } from '@nursing/contracts';
import { bearer, newAlarmId, record, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, PATIENT_ADDRESS, seedNurse, seedPosition, seedVisit } from '../fixtures.ts';

let t: AlarmsTestApp;
beforeAll(async () => {
  t = await startAlarmsTestApp();
  await seedNurse(t.deps.redis, t.keys, 'n1');
  await seedNurse(t.deps.redis, t.keys, 'n2');
});
afterAll(() => t?.close());

const raise = (nurseId: string, body: object) =>
  t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(t.tokens.nurse(nurseId, INST)), payload: body });
const getAlarm = async (id: string): Promise<Alarm> => (await t.app.inject({ url: `/v1/alarms/${id}`, headers: bearer(t.tokens.security()) })).json();

describe('POST /v1/alarms', () => {
  it('stores the raise, then announces the alarm enriched with position, order and address', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const positionAt = Date.now() - 4_000;
    await seedPosition(t.deps.redis, t.keys, 'n1', { lat: 31.2304, lng: 121.4737, atMs: positionAt });
    await seedVisit(t.deps.redis, t.keys, { orderId: 'o-visit-1', nurseId: 'n1', state: 'in_service' });
    const alarmId = newAlarmId();
    const res = await raise('n1', { alarmId, note: 'aggressive relative' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ alarmId, duplicate: false });

    const raised = await waitFor(() => events.messages.find((e) => e.alarm.alarmId === alarmId), { message: 'raised event' });
    expect(raised.event).toBe('raised');
    const a = raised.alarm;
    expect(a).toMatchObject({ nurseId: 'n1', nurseName: 'Nurse n1', institutionId: INST, kind: 'panic', drill: false, status: 'open', source: 'http' });
    expect(a).toMatchObject({ orderId: 'o-visit-1', patientAddress: PATIENT_ADDRESS, note: 'aggressive relative', escalationLevel: 0 });
    expect(a.lastPosition).toMatchObject({ lat: 31.2304, lng: 121.4737, atMs: positionAt });
    expect(a.lastPosition!.ageMs).toBeGreaterThanOrEqual(3_000);
    expect(a.history.map((h) => h.to)).toEqual(['open']);
    expect(await getAlarm(alarmId)).toEqual(a);
    events.stop();

    // The address went to the security desk: the order's trace says so, the alarm's trace has the raise.
    const audit = await waitFor(async () => {
      const trail = (await t.app.inject({ url: `/v1/alarms/${alarmId}/audit`, headers: bearer(t.tokens.security()) })).json() as { entries: AuditEntry[] };
      return trail.entries.length ? trail.entries : undefined;
    });
    expect(audit.map((e) => e.action)).toEqual(['alarm.raised']);
    expect(audit[0]!.details).toMatchObject({ alarmId, patientAddressDisclosed: true });
  });

  it('the nurse is told to report every second while her alarm is open', async () => {
    const inbox = await record<{ type: string; alarmId: string; intervalMs: number }>(t.nc, t.subjects.nurseInbox('n2'));
    const alarmId = newAlarmId();
    expect((await raise('n2', { alarmId })).statusCode).toBe(201);
    const follow = await waitFor(() => inbox.messages.find((m) => m.type === 'follow'));
    expect(follow).toEqual({ type: 'follow', alarmId, intervalMs: 1000 });
    inbox.stop();
  });

  it('a retried raise with the same id makes one alarm and one announcement', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const alarmId = newAlarmId();
    const answers = await Promise.all([raise('n2', { alarmId }), raise('n2', { alarmId }), raise('n2', { alarmId })]);
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(answers.map((r) => r.json().duplicate).sort()).toEqual([false, true, true]);
    await waitFor(() => events.messages.some((e) => e.alarm.alarmId === alarmId));
    expect((await raise('n2', { alarmId })).json()).toEqual({ alarmId, duplicate: true });
    await sleep(1_000);
    expect(events.messages.filter((e) => e.alarm.alarmId === alarmId)).toHaveLength(1);
    expect(await t.deps.redis.zscore(t.keys.allAlarms, alarmId)).not.toBeNull();
    events.stop();
  });

  it('a raise stored again beyond the duplicate window is still the same alarm', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const alarmId = newAlarmId();
    expect((await raise('n1', { alarmId })).statusCode).toBe(201);
    const first = await waitFor(() => events.messages.find((e) => e.alarm.alarmId === alarmId));
    // Past the window JetStream keeps a second copy; Redis still knows the alarm.
    const copy = { alarmId, nurseId: 'n1', institutionId: INST, kind: 'panic', drill: false, raisedAt: new Date().toISOString(), source: 'socket' };
    await t.js.publish(t.subjects.alarmRaise(alarmId), JSON.stringify(copy), { msgID: `${alarmId}-late-copy` });
    await waitFor(async () => {
      const info = await t.deps.bus.jsm.consumers.info(t.deps.streams.alarms, t.deps.streams.alarmsConsumer);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, { message: 'the copy consumed' });
    await sleep(500);
    expect(events.messages.filter((e) => e.alarm.alarmId === alarmId)).toEqual([first]);
    expect((await getAlarm(alarmId)).source).toBe('http');
    events.stop();
  });

  it('drills flow end to end, flagged', async () => {
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const alarmId = newAlarmId();
    expect((await raise('n1', { alarmId, drill: true })).statusCode).toBe(201);
    const e = await waitFor(() => events.messages.find((m) => m.alarm.alarmId === alarmId));
    expect(e.alarm.drill).toBe(true);
    events.stop();
  });

  it('a corrupt nurse profile leaves her name out instead of holding the alarm back', async () => {
    await t.deps.redis.set(t.keys.nurse('n-corrupt'), '{not json');
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const alarmId = newAlarmId();
    expect((await raise('n-corrupt', { alarmId })).statusCode).toBe(201);
    const e = await waitFor(() => events.messages.find((m) => m.alarm.alarmId === alarmId));
    expect(e.alarm.nurseId).toBe('n-corrupt');
    expect(e.alarm.nurseName).toBeUndefined();
    events.stop();
  });

  it.each([
    ['no alarmId', {}],
    ['too short an id', { alarmId: 'abc' }],
    ['an id with a dot', { alarmId: 'abcdefgh.x' }],
    ['overdue from an app', { alarmId: 'abcdefgh-1', kind: 'overdue' }],
    ['an unknown field', { alarmId: 'abcdefgh-2', nurseId: 'someone-else' }],
    ['a non-boolean drill', { alarmId: 'abcdefgh-3', drill: 'yes' }],
  ])('refuses %s with 400 and stores nothing', async (_what, body) => {
    const before = (await t.deps.bus.jsm.streams.info(t.deps.streams.alarms)).state.messages;
    const res = await raise('n1', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.deps.bus.jsm.streams.info(t.deps.streams.alarms)).state.messages).toBe(before);
    expect(await t.deps.redis.exists(t.keys.alarm('abcdefgh-1'), t.keys.alarm('abcdefgh-2'), t.keys.alarm('abcdefgh-3'))).toBe(0);
  });

  it('only nurses raise', async () => {
    for (const token of [t.tokens.security(), t.tokens.coordinator(INST), t.tokens.admin()]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(token), payload: { alarmId: newAlarmId() } });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'POST', url: '/v1/alarms', payload: { alarmId: newAlarmId() } })).statusCode).toBe(401);
  });

  it('never logs the patient address', () => {
    expect(t.logs.text()).not.toContain(PATIENT_ADDRESS);
  });
});

