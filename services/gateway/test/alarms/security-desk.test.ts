import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPresenceStore } from '@nursing/presence';
import { natsSubjects, redisKeys, type AlarmEvent, type AlarmsSnapshotFrame, type RedisKeys } from '@nursing/contracts';
import { openSocket, startGatewayTestEnv, type Frame, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { alarmFixture, publishAlarmEvent, storeOpenAlarm } from './alarm-fixtures.ts';

let env: GatewayTestEnv;
let keys: RedisKeys;
beforeAll(async () => {
  env = await startGatewayTestEnv(1);
  keys = redisKeys(env.ns);
});
afterAll(() => env?.close());

const redis = () => env.gateways[0]!.deps.redis;
const deskUrl = () => `${env.gateways[0]!.wsUrl}/ws/security`;
const eventsFor = (socket: TestSocket, alarmId: string) =>
  socket.frames.filter((f): f is Frame & AlarmEvent => f.type === 'alarm' && (f as unknown as AlarmEvent).alarm.alarmId === alarmId);

async function openDesk(token = env.tokens.security()): Promise<{ desk: TestSocket; snapshot: AlarmsSnapshotFrame }> {
  const desk = await openSocket(deskUrl(), token);
  const snapshot = (await desk.next((f) => f.type === 'alarms.snapshot')) as unknown as AlarmsSnapshotFrame;
  expect(desk.frames[0]?.type).toBe('alarms.snapshot');
  return { desk, snapshot };
}

describe('security desk socket', () => {
  it('a desk connecting late sees every open alarm and its trail since the raise, oldest first', async () => {
    const presence = createPresenceStore({ redis: redis(), nc: env.nc, keys, subjects: natsSubjects(env.ns) });
    const raisedAtMs = Date.now() - 60_000;
    await presence.recordPositions([
      { nurseId: 'late-n', lat: 31.2, lng: 121.4, atMs: raisedAtMs - 120_000 },
      { nurseId: 'late-n', lat: 31.21, lng: 121.41, atMs: raisedAtMs - 5_000 },
      { nurseId: 'late-n', lat: 31.22, lng: 121.42, atMs: raisedAtMs + 10_000 },
      { nurseId: 'late-n', lat: 31.23, lng: 121.43, atMs: raisedAtMs + 20_000 },
    ]);
    const older = alarmFixture({
      alarmId: 'alarm-late-1',
      nurseId: 'late-n',
      raisedAt: new Date(raisedAtMs).toISOString(),
      lastPosition: { lat: 31.21, lng: 121.41, atMs: raisedAtMs - 5_000, ageMs: 5_000 },
    });
    const newer = alarmFixture({ alarmId: 'alarm-late-2', nurseId: 'late-m', status: 'acknowledged', raisedAt: new Date(raisedAtMs + 1_000).toISOString() }, [
      { to: 'acknowledged', at: new Date().toISOString(), by: { role: 'security', id: 's1' } },
    ]);
    const done = alarmFixture({ alarmId: 'alarm-late-3', status: 'resolved' });
    for (const a of [newer, older, done]) await storeOpenAlarm(redis(), keys, a);

    const { desk, snapshot } = await openDesk();
    const ids = snapshot.alarms.map((a) => a.alarmId);
    expect(ids.indexOf('alarm-late-1')).toBeLessThan(ids.indexOf('alarm-late-2'));
    expect(ids).not.toContain('alarm-late-3');
    expect(snapshot.alarms.find((a) => a.alarmId === 'alarm-late-1')).toEqual(older);
    expect(snapshot.trails['alarm-late-1']).toEqual([
      { lat: 31.21, lng: 121.41, atMs: raisedAtMs - 5_000 },
      { lat: 31.22, lng: 121.42, atMs: raisedAtMs + 10_000 },
      { lat: 31.23, lng: 121.43, atMs: raisedAtMs + 20_000 },
    ]);
    expect(snapshot.trails['alarm-late-2']).toEqual([]);
    desk.close();
  });

  it('forwards each change of an alarm once: repeats and older versions are dropped, snapshot contents too', async () => {
    const inSnapshot = alarmFixture({ alarmId: 'alarm-dup-0' });
    await storeOpenAlarm(redis(), keys, inSnapshot);
    const { desk } = await openDesk();
    // Already in the snapshot: its `raised` repeated on the wire is not shown again.
    publishAlarmEvent(env.nc, env.ns, 'raised', inSnapshot);

    const a = alarmFixture({ alarmId: 'alarm-dup-1', institutionId: 'inst-z' });
    publishAlarmEvent(env.nc, env.ns, 'raised', a);
    publishAlarmEvent(env.nc, env.ns, 'raised', a);
    const escalated = { ...a, escalationLevel: 1, history: [...a.history, { to: 'escalated' as const, at: new Date().toISOString(), level: 1 }] };
    publishAlarmEvent(env.nc, env.ns, 'escalated', escalated);
    publishAlarmEvent(env.nc, env.ns, 'raised', a);
    publishAlarmEvent(env.nc, env.ns, 'escalated', escalated);
    await desk.next((f) => f.type === 'alarm' && (f as unknown as AlarmEvent).event === 'escalated');
    await sleep(500);
    expect(eventsFor(desk, 'alarm-dup-1').map((e) => e.event)).toEqual(['raised', 'escalated']);
    expect(eventsFor(desk, 'alarm-dup-0')).toEqual([]);
    desk.close();
  });

  it('streams positions of a nurse with an open alarm at full rate, until it is resolved', async () => {
    const { desk } = await openDesk();
    const a = alarmFixture({ alarmId: 'alarm-pos-1', nurseId: 'runner' });
    await storeOpenAlarm(redis(), keys, a);
    publishAlarmEvent(env.nc, env.ns, 'raised', a);
    await desk.next((f) => f.type === 'alarm');
    const presence = createPresenceStore({ redis: redis(), nc: env.nc, keys, subjects: natsSubjects(env.ns) });
    const start = Date.now();
    // Ten fixes 100 ms apart; the desk wants every one of them, not a coalesced sample.
    for (let i = 0; i < 10; i++) {
      await presence.recordPositions([{ nurseId: 'runner', lat: 31.2 + i * 0.0001, lng: 121.4, atMs: start + i * 100 }]);
      await sleep(100);
    }
    const positions = () => desk.frames.filter((f) => f.type === 'alarm.position');
    await desk.next(() => positions().length >= 10);
    expect(positions()[0]).toEqual({ type: 'alarm.position', alarmId: 'alarm-pos-1', nurseId: 'runner', lat: 31.2, lng: 121.4, atMs: start });
    // Other nurses' positions are not the desk's business.
    await presence.recordPositions([{ nurseId: 'bystander', lat: 31.2, lng: 121.4, atMs: Date.now() }]);

    const resolved = { ...a, status: 'resolved' as const, history: [...a.history, { to: 'acknowledged' as const, at: new Date().toISOString() }, { to: 'resolved' as const, at: new Date().toISOString() }] };
    await storeOpenAlarm(redis(), keys, resolved);
    publishAlarmEvent(env.nc, env.ns, 'resolved', resolved);
    await desk.next((f) => f.type === 'alarm' && (f as unknown as AlarmEvent).event === 'resolved');
    await sleep(200);
    const count = positions().length;
    await presence.recordPositions([{ nurseId: 'runner', lat: 31.3, lng: 121.4, atMs: Date.now() }]);
    await sleep(500);
    expect(positions().length).toBe(count);
    expect(positions().every((p) => p['nurseId'] === 'runner')).toBe(true);
    desk.close();
  });

  it('a change core NATS never delivered reaches the desk from Redis within seconds', async () => {
    const { desk } = await openDesk();
    // Stored and listed, but its event lost: the gateway's comparison with Redis finds it.
    await storeOpenAlarm(redis(), keys, alarmFixture({ alarmId: 'alarm-lost-1' }));
    const found = await desk.next((f) => f.type === 'alarm' && (f as unknown as AlarmEvent).alarm.alarmId === 'alarm-lost-1', 8_000);
    expect((found as unknown as AlarmEvent).event).toBe('raised');
    // The event arriving late is a repeat.
    publishAlarmEvent(env.nc, env.ns, 'raised', alarmFixture({ alarmId: 'alarm-lost-1' }));
    await sleep(2_500);
    expect(eventsFor(desk, 'alarm-lost-1')).toHaveLength(1);
    desk.close();
  });

  it('coordinators get their institution alarm events, once each, without the patient address', async () => {
    const coordinator = await openSocket(`${env.gateways[0]!.wsUrl}/ws/coordinator`, env.tokens.coordinator('inst-a'));
    const admin = await openSocket(`${env.gateways[0]!.wsUrl}/ws/coordinator`, env.tokens.admin());
    // Their subscriptions reach NATS asynchronously: a probe, repeated until both have it, says they are live.
    let version = 1;
    const probe = alarmFixture({ alarmId: 'alarm-coord-probe', institutionId: 'inst-a' });
    const probing = setInterval(() => {
      version += 1;
      publishAlarmEvent(env.nc, env.ns, 'escalated', { ...probe, history: Array.from({ length: version }, () => probe.history[0]!) });
    }, 50);
    try {
      for (const s of [coordinator, admin]) await s.next((f) => f.type === 'alarm');
    } finally {
      clearInterval(probing);
    }
    const mine = alarmFixture({ alarmId: 'alarm-coord-1', institutionId: 'inst-a' });
    const theirs = alarmFixture({ alarmId: 'alarm-coord-2', institutionId: 'inst-b' });
    publishAlarmEvent(env.nc, env.ns, 'raised', mine);
    publishAlarmEvent(env.nc, env.ns, 'raised', mine);
    publishAlarmEvent(env.nc, env.ns, 'raised', theirs);
    await coordinator.next((f) => f.type === 'alarm' && (f as unknown as AlarmEvent).alarm.alarmId === 'alarm-coord-1');
    await admin.next((f) => f.type === 'alarm' && (f as unknown as AlarmEvent).alarm.alarmId === 'alarm-coord-2');
    await sleep(500);
    const got = eventsFor(coordinator, 'alarm-coord-1');
    expect(got).toHaveLength(1);
    expect(got[0]!.alarm.patientAddress).toBeUndefined();
    expect(got[0]!.alarm).toMatchObject({ nurseId: 'n1', orderId: 'o-1' });
    expect(eventsFor(coordinator, 'alarm-coord-2')).toEqual([]);
    expect(JSON.stringify(admin.frames)).not.toContain('Century Avenue');
    coordinator.close();
    admin.close();
  });
});
