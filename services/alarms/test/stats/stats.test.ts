import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { bearer, newAlarmId, startAlarmsTestApp, type AlarmsTestApp } from '../harness.ts';
import { INST, OTHER_INST, seedNurse } from '../fixtures.ts';

let t: AlarmsTestApp;
beforeAll(async () => {
  t = await startAlarmsTestApp();
  await seedNurse(t.deps.redis, t.keys, 's1');
  await seedNurse(t.deps.redis, t.keys, 's9', OTHER_INST);
});
afterAll(() => t?.close());

async function raise(nurseId: string, institution: string, drill: boolean): Promise<string> {
  const alarmId = newAlarmId();
  const res = await t.app.inject({ method: 'POST', url: '/v1/alarms', headers: bearer(t.tokens.nurse(nurseId, institution)), payload: { alarmId, drill } });
  expect(res.statusCode).toBe(201);
  await waitFor(async () => (await t.deps.redis.exists(t.keys.alarmAnnounced(alarmId))) === 1);
  return alarmId;
}
const ack = (id: string) => t.app.inject({ method: 'POST', url: `/v1/alarms/${id}/acknowledge`, headers: bearer(t.tokens.security()) });
const stats = (token: string, query = '') => t.app.inject({ url: `/v1/alarms/stats${query}`, headers: bearer(token) });

describe('GET /v1/alarms/stats', () => {
  it('counts by kind and status with the mean time to acknowledge, drills left out', async () => {
    const real1 = await raise('s1', INST, false);
    await raise('s1', INST, false);
    const drill = await raise('s1', INST, true);
    await raise('s9', OTHER_INST, false);
    expect((await ack(real1)).statusCode).toBe(200);
    expect((await ack(drill)).statusCode).toBe(200);

    const all = (await stats(t.tokens.security())).json();
    expect(all).toMatchObject({ total: 3, byKind: { panic: 3 }, byStatus: { open: 2, acknowledged: 1 }, acknowledged: 1, drillsExcluded: 1 });
    expect(all.meanTimeToAcknowledgeMs).toBeGreaterThanOrEqual(0);
    expect(all.meanTimeToAcknowledgeMs).toBeLessThan(60_000);

    const mine = (await stats(t.tokens.coordinator(INST))).json();
    expect(mine).toMatchObject({ institutionId: INST, total: 2, drillsExcluded: 1 });
    expect((await stats(t.tokens.coordinator(INST), `?institutionId=${OTHER_INST}`)).statusCode).toBe(403);
    expect((await stats(t.tokens.admin(), `?institutionId=${OTHER_INST}`)).json()).toMatchObject({ total: 1, drillsExcluded: 0 });
    expect((await stats(t.tokens.nurse('s1', INST))).statusCode).toBe(403);
    expect((await stats(t.tokens.security(), '?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z')).statusCode).toBe(400);
  });
});
