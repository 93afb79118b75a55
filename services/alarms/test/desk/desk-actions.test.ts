import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import type { Alarm, AuditEntry } from '@nursing/contracts';
import { bearer, newAlarmId, record, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, OTHER_INST, PATIENT_ADDRESS, seedNurse, seedVisit } from '../fixtures.ts';

let t: AlarmsTestApp;
beforeAll(async () => {
  t = await startAlarmsTestApp();
  await seedNurse(t.deps.redis, t.keys, 'n1');
  await seedNurse(t.deps.redis, t.keys, 'n9', OTHER_INST);
  await seedVisit(t.deps.redis, t.keys, { orderId: 'o-desk-1', nurseId: 'n1', state: 'arrived' });
});
afterAll(() => t?.close());

/** Raises through HTTP and waits until the alarms service has announced it. */
async function raised(nurseId = 'n1', institution = INST): Promise<string> {
  const alarmId = newAlarmId();
  const res = await t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(t.tokens.nurse(nurseId, institution)), payload: { alarmId } });
  expect(res.statusCode).toBe(201);
  await waitFor(async () => (await t.deps.redis.exists(t.keys.alarmAnnounced(alarmId))) === 1, { message: 'alarm announced' });
  return alarmId;
}

const post = (path: string, token: string, payload: object = {}) => t.app.inject({ method: 'POST', url: path, headers: bearer(token), payload });
const list = async (token: string, query: string): Promise<Alarm[]> => {
  const res = await t.app.inject({ url: `/v1/alarms${query}`, headers: bearer(token) });
  expect(res.statusCode).toBe(200);
  return res.json().alarms;
};

describe('acknowledge and resolve', () => {
  it('non-security roles cannot acknowledge or resolve (403), and nothing changes', async () => {
    const id = await raised();
    for (const token of [t.tokens.nurse('n1', INST), t.tokens.coordinator(INST)]) {
      expect((await post(`/v1/alarms/${id}/acknowledge`, token)).statusCode).toBe(403);
      expect((await post(`/v1/alarms/${id}/resolve`, token, { notes: 'x' })).statusCode).toBe(403);
    }
    expect((await post(`/v1/alarms/${id}/acknowledge`, '')).statusCode).toBe(401);
    const alarm = (await t.app.inject({ url: `/v1/alarms/${id}`, headers: bearer(t.tokens.security()) })).json();
    expect(alarm.status).toBe('open');
  });

  it('open -> acknowledged -> resolved by the security desk, each change an event and an audit entry', async () => {
    const id = await raised();
    const events = await record(t.nc, t.subjects.allAlarmEvents);
    const inbox = await record<{ type: string; intervalMs: number }>(t.nc, t.subjects.nurseInbox('n1'));

    const ack = await post(`/v1/alarms/${id}/acknowledge`, t.tokens.security('desk-7'), { notes: 'calling her' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'desk-7' });
    expect((await post(`/v1/alarms/${id}/acknowledge`, t.tokens.security())).statusCode).toBe(409);

    expect((await post(`/v1/alarms/${id}/resolve`, t.tokens.security('desk-7'), {})).statusCode).toBe(400);
    const res = await post(`/v1/alarms/${id}/resolve`, t.tokens.admin(), { notes: 'police attended, nurse safe' });
    expect(res.statusCode).toBe(200);
    const alarm = res.json() as Alarm;
    expect(alarm).toMatchObject({ status: 'resolved', resolvedBy: 'admin-1', resolutionNotes: 'police attended, nurse safe' });
    expect(alarm.history.map((h) => h.to)).toEqual(['open', 'acknowledged', 'resolved']);
    expect((await post(`/v1/alarms/${id}/resolve`, t.tokens.security(), { notes: 'again' })).statusCode).toBe(409);
    expect((await post(`/v1/alarms/${id}/acknowledge`, t.tokens.security())).statusCode).toBe(409);

    await waitFor(() => events.messages.length >= 2);
    expect(events.messages.map((e) => e.event)).toEqual(['acknowledged', 'resolved']);
    // Resolving stops the one-second reporting.
    await waitFor(() => inbox.messages.some((m) => m.type === 'follow' && m.intervalMs === 0));
    events.stop();
    inbox.stop();

    const trail = await waitFor(async () => {
      const body = (await t.app.inject({ url: `/v1/alarms/${id}/audit`, headers: bearer(t.tokens.security()) })).json() as { entries: AuditEntry[] };
      return body.entries.length >= 3 ? body.entries : undefined;
    });
    expect(trail.map((e) => [e.action, e.actor.id])).toEqual([
      ['alarm.raised', 'n1'],
      ['alarm.acknowledged', 'desk-7'],
      ['alarm.resolved', 'admin-1'],
    ]);
    expect(trail[1]!.details).toMatchObject({ notes: 'calling her' });
  });

  it('resolving needs an acknowledgement first', async () => {
    const id = await raised();
    const res = await post(`/v1/alarms/${id}/resolve`, t.tokens.security(), { notes: 'skip' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('of two desks acknowledging at once, exactly one wins', async () => {
    const id = await raised();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(`/v1/alarms/${id}/acknowledge`, t.tokens.security(`desk-${i}`))));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });

  it('unknown alarms are 404', async () => {
    expect((await post('/v1/alarms/no-such-alarm/acknowledge', t.tokens.security())).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/alarms/no-such-alarm', headers: bearer(t.tokens.security()) })).statusCode).toBe(404);
  });
});

describe('GET /v1/alarms', () => {
  it('lists by status for the desk; coordinators see their institution without the address', async () => {
    const open = await raised();
    const acked = await raised();
    await post(`/v1/alarms/${acked}/acknowledge`, t.tokens.security());
    const foreign = await raised('n9', OTHER_INST);

    const openIds = (await list(t.tokens.security(), '?status=open')).map((a) => a.alarmId);
    expect(openIds).toContain(open);
    expect(openIds).toContain(foreign);
    expect(openIds).not.toContain(acked);
    expect((await list(t.tokens.security(), '?status=acknowledged')).map((a) => a.alarmId)).toContain(acked);
    expect((await list(t.tokens.security(), '?status=resolved')).every((a) => a.status === 'resolved')).toBe(true);

    const desk = (await list(t.tokens.security(), '?status=open')).find((a) => a.alarmId === open)!;
    expect(desk.patientAddress).toBe(PATIENT_ADDRESS);
    const mine = await list(t.tokens.coordinator(INST), '?status=open');
    expect(mine.map((a) => a.alarmId)).toContain(open);
    expect(mine.map((a) => a.alarmId)).not.toContain(foreign);
    expect(mine.every((a) => a.patientAddress === undefined)).toBe(true);
    const one = await t.app.inject({ url: `/v1/alarms/${open}`, headers: bearer(t.tokens.coordinator(INST)) });
    expect(one.json().patientAddress).toBeUndefined();
    expect((await t.app.inject({ url: `/v1/alarms/${foreign}`, headers: bearer(t.tokens.coordinator(INST)) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/alarms?status=open', headers: bearer(t.tokens.nurse('n1', INST)) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/alarms?status=closed', headers: bearer(t.tokens.security()) })).statusCode).toBe(400);
  });
});
