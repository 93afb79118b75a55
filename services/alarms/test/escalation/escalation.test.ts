import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nursing/testing';
import type { AlarmEvent } from '@nursing/contracts';
import { bearer, newAlarmId, record, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, PATIENT_ADDRESS, seedNurse, seedVisit } from '../fixtures.ts';
import { startWebhookServer } from './webhook-server.ts';

const PERIOD_MS = 1_000;
let t: AlarmsTestApp;
let hook: Awaited<ReturnType<typeof startWebhookServer>>;
let hookStatus = 200;

beforeAll(async () => {
  hook = await startWebhookServer(() => hookStatus);
  t = await startAlarmsTestApp({ ALARM_ESCALATE_AFTER_MS: String(PERIOD_MS), ALARM_WEBHOOK_URL: hook.url });
  await seedNurse(t.deps.redis, t.keys, 'n1');
  await seedVisit(t.deps.redis, t.keys, { orderId: 'o-esc-1', nurseId: 'n1', state: 'in_service' });
});
afterAll(async () => {
  await t?.close();
  await hook?.close();
});

async function raise(): Promise<{ alarmId: string; storedAtMs: number }> {
  const alarmId = newAlarmId();
  const res = await t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(t.tokens.nurse('n1', INST)), payload: { alarmId } });
  expect(res.statusCode).toBe(201);
  return { alarmId, storedAtMs: Date.now() };
}

describe('escalation', () => {
  it('fires every period until acknowledged: desks, coordinators, supervisors and the webhook, then stops', async () => {
    const desk = await record(t.nc, t.subjects.allAlarmEvents);
    const coordinators = await record(t.nc, t.subjects.institutionAlarmEvents(INST));
    const supervisor = await record(t.nc, t.subjects.alarmSupervisor(INST));
    const { alarmId, storedAtMs } = await raise();
    const mine = (events: AlarmEvent[]) => events.filter((e) => e.alarm.alarmId === alarmId);

    const level2 = await waitFor(() => mine(desk.messages).find((e) => e.event === 'escalated' && e.alarm.escalationLevel === 2), {
      timeoutMs: 8_000,
      message: 'escalation level 2',
    });
    const levels = mine(desk.messages).filter((e) => e.event === 'escalated');
    expect(levels.map((e) => e.alarm.escalationLevel)).toEqual([1, 2]);
    // On time: level 1 one period after the raise was stored, level 2 one period after level 1.
    const at1 = Date.parse(levels[0]!.alarm.history.find((h) => h.level === 1)!.at);
    const at2 = Date.parse(level2.alarm.history.find((h) => h.level === 2)!.at);
    expect(at1 - storedAtMs).toBeGreaterThanOrEqual(PERIOD_MS - 50);
    expect(at1 - storedAtMs).toBeLessThan(PERIOD_MS + 1_500);
    expect(at2 - at1).toBeGreaterThanOrEqual(PERIOD_MS - 50);
    expect(at2 - at1).toBeLessThan(PERIOD_MS + 1_500);

    expect(mine(coordinators.messages).map((e) => e.event)).toEqual(expect.arrayContaining(['raised', 'escalated']));
    const sup = await waitFor(() => mine(supervisor.messages).filter((e) => e.alarm.escalationLevel >= 2).length > 0 && mine(supervisor.messages));
    expect(sup.map((e) => e.alarm.escalationLevel).slice(0, 2)).toEqual([1, 2]);
    expect(sup.every((e) => e.alarm.patientAddress === undefined)).toBe(true);

    const calls = await waitFor(() => {
      const c = hook.calls.filter((call) => call.body['alarmId'] === alarmId);
      return c.length >= 2 && c;
    });
    expect(calls[0]!.body).toEqual({
      alarmId,
      level: 1,
      nurseId: 'n1',
      institutionId: INST,
      kind: 'panic',
      drill: false,
      raisedAt: expect.any(String),
      escalatedAt: expect.any(String),
    });
    expect(calls[0]!.headers['idempotency-key']).toBe(`${alarmId}:1`);
    expect(calls.map((c) => c.text).join()).not.toContain(PATIENT_ADDRESS);

    const ack = await t.app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/acknowledge`, headers: bearer(t.tokens.security()) });
    expect(ack.statusCode).toBe(200);
    const levelAtAck = ack.json().escalationLevel as number;
    await sleep(PERIOD_MS * 3);
    const after = mine(desk.messages).filter((e) => e.event === 'escalated');
    expect(after.map((e) => e.alarm.escalationLevel)).toEqual(Array.from({ length: levelAtAck }, (_, i) => i + 1));
    expect(hook.calls.filter((c) => c.body['alarmId'] === alarmId)).toHaveLength(levelAtAck);
    expect(await t.deps.redis.zrangebyscore(t.keys.timers('alarms'), '-inf', '+inf')).not.toContain(`esc:${alarmId}:${levelAtAck + 1}`);
    desk.stop();
    coordinators.stop();
    supervisor.stop();
  }, 20_000);

  it('a failing webhook is logged and called again at the next level; escalation goes on', async () => {
    hookStatus = 500;
    try {
      const desk = await record(t.nc, t.subjects.allAlarmEvents);
      const { alarmId } = await raise();
      await waitFor(() => desk.messages.some((e) => e.alarm.alarmId === alarmId && e.alarm.escalationLevel === 2), { timeoutMs: 8_000 });
      // The webhook is called after the event is out (escalate-alarm.ts): wait for its second call too.
      const levels = () => hook.calls.filter((c) => c.body['alarmId'] === alarmId).map((c) => c.body['level']);
      await waitFor(() => levels().length >= 2, { timeoutMs: 5_000 });
      expect(levels()).toEqual([1, 2]);
      expect(t.logs.lines().some((l) => l['alarmId'] === alarmId && l['status'] === 500 && /webhook/.test(String(l['msg'])))).toBe(true);
      await t.app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/acknowledge`, headers: bearer(t.tokens.security()) });
      desk.stop();
    } finally {
      hookStatus = 200;
    }
  }, 20_000);
});
