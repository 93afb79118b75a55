import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nursing/testing';
import { bearer, newAlarmId, record, startAlarmsInstance, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, seedNurse } from '../fixtures.ts';
import { startWebhookServer } from '../escalation/webhook-server.ts';

// Three instances side by side on one namespace: raises are shared out through the one
// durable consumer, escalation timers through the one sorted set.
const PERIOD_MS = 1_000;
let first: AlarmsTestApp;
let others: AlarmsTestApp[] = [];
let hook: Awaited<ReturnType<typeof startWebhookServer>>;

beforeAll(async () => {
  hook = await startWebhookServer();
  const env = { ALARM_ESCALATE_AFTER_MS: String(PERIOD_MS), ALARM_WEBHOOK_URL: hook.url };
  first = await startAlarmsTestApp(env);
  others = [await startAlarmsInstance(first.infra, env), await startAlarmsInstance(first.infra, env)];
  await seedNurse(first.deps.redis, first.keys, 'n1');
}, 30_000);
afterAll(async () => {
  await Promise.all(others.map((o) => o.close()));
  await first?.close();
  await hook?.close();
});

describe('alarms instances side by side', () => {
  it('each raise is announced once, and each escalation level fires once, whichever instance takes it', async () => {
    const events = await record(first.nc, first.subjects.allAlarmEvents);
    const apps = [first, ...others];
    const ids = Array.from({ length: 30 }, () => newAlarmId());
    const answers = await Promise.all(
      ids.map((alarmId, i) =>
        apps[i % apps.length]!.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(first.tokens.nurse('n1', INST)), payload: { alarmId } }),
      ),
    );
    expect(answers.every((r) => r.statusCode === 201)).toBe(true);
    const raised = () => events.messages.filter((e) => e.event === 'raised');
    await waitFor(() => raised().length >= ids.length, { timeoutMs: 10_000, message: 'all raised' });
    await waitFor(() => events.messages.filter((e) => e.event === 'escalated' && e.alarm.escalationLevel === 2).length >= ids.length, {
      timeoutMs: 15_000,
      message: 'all at level 2',
    });
    await Promise.all(ids.map((id) => first.app.inject({ method: 'POST', url: `/v1/alarms/${id}/acknowledge`, headers: bearer(first.tokens.security()) })));
    await sleep(PERIOD_MS * 2);

    expect(raised().map((e) => e.alarm.alarmId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const levels = events.messages.filter((e) => e.event === 'escalated' && e.alarm.alarmId === id).map((e) => e.alarm.escalationLevel);
      // Level 3 may have fired before the acknowledgement; none fired twice.
      expect(levels.slice(0, 2)).toEqual([1, 2]);
      expect(new Set(levels).size).toBe(levels.length);
      const calls = hook.calls.filter((c) => c.body['alarmId'] === id).map((c) => c.body['level']);
      expect(calls).toEqual(levels);
    }
    events.stop();
  }, 60_000);
});
