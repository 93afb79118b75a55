import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, newAlarmId, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, seedNurse } from '../fixtures.ts';

let t: AlarmsTestApp;
beforeAll(async () => {
  t = await startAlarmsTestApp({ ALARM_RAISE_LIMIT_PER_MIN: '2' });
  await seedNurse(t.deps.redis, t.keys, 'n-limit');
});
afterAll(() => t?.close());

describe('POST /v1/alarms rate limit', () => {
  it('refuses a nurse past her budget with 429 and stores nothing more', async () => {
    const raise = () =>
      t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(t.tokens.nurse('n-limit', INST)), payload: { alarmId: newAlarmId(), drill: true } });
    expect((await raise()).statusCode).toBe(201);
    expect((await raise()).statusCode).toBe(201);
    const refused = await raise();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    const info = await t.deps.bus.jsm.streams.info(t.deps.streams.alarms);
    expect(info.state.messages).toBe(2);
  });
});
