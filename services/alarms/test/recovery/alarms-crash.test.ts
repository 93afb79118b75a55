import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { waitFor } from '@nursing/testing';
import { natsSubjects, type AlarmEvent } from '@nursing/contracts';
import { INST } from '../fixtures.ts';
import { newAlarmId } from '../harness.ts';
import { startAlarmsProcess } from '../processes/alarms-process.ts';
import { startGatewayProcess } from '../processes/gateway-process.ts';
import type { ServiceProcess } from '@nursing/testing';
import { openClient, raiseOver, sightings, type TestClient } from '../processes/ws-client.ts';
import { startRecoveryEnv, type RecoveryEnv } from './recovery-env.ts';

// An alarms service process dies in the middle of a raise (it kill -9s itself at a
// chosen point, or is killed while idle); another instance takes the raise over after
// ACK_WAIT (2 s here). The desk, on a gateway process, must see each alarm once.
let env: RecoveryEnv;
let nc: NatsConnection;
let desk: TestClient;
let nurse: TestClient;
const wire: AlarmEvent[] = [];

beforeAll(async () => {
  env = await startRecoveryEnv();
  const gateway = env.track(await startGatewayProcess(env.infra));
  desk = await openClient(`${gateway.wsUrl}/ws/security`, env.tokens.security());
  await desk.next((f) => f.type === 'alarms.snapshot');
  nurse = await openClient(`${gateway.wsUrl}/ws/nurse`, env.tokens.nurse('n1', INST));
  // What the alarms service actually published, to show the desk dropped repeats rather than never got them.
  nc = await connect({ servers: env.infra.natsUrl });
  nc.subscribe(natsSubjects(env.infra.ns).allAlarmEvents, {
    callback: (err, msg) => {
      if (!err) wire.push(msg.json<AlarmEvent>());
    },
  });
  await nc.flush();
}, 60_000);
afterAll(async () => {
  desk?.close();
  nurse?.close();
  await nc?.close();
  await env?.close();
});

const raisedOnWire = (id: string) => wire.filter((e) => e.event === 'raised' && e.alarm.alarmId === id).length;
const announced = async (id: string) => (await env.redis.exists(env.keys.alarmAnnounced(id))) === 1;

async function raise(frameId: string): Promise<string> {
  const id = newAlarmId();
  expect(await raiseOver(nurse, id, frameId)).toMatchObject({ type: 'ack', result: { alarmId: id, duplicate: false } });
  return id;
}

describe('kill -9 the alarms service between raise and delivery', () => {
  let survivor: ServiceProcess | undefined;

  it('dies after storing the alarm, before announcing it: the next instance announces it once', async () => {
    const doomed = env.track(await startAlarmsProcess(env.infra, { crashAt: 'after-store' }));
    const id = await raise('s1');
    await doomed.exited;
    expect(doomed.child.signalCode).toBe('SIGKILL');
    expect(await env.redis.exists(env.keys.alarm(id))).toBe(1);
    expect(await announced(id)).toBe(false);

    survivor = env.track(await startAlarmsProcess(env.infra));
    await waitFor(() => sightings(desk.frames, id) === 1, { timeoutMs: 20_000, message: 'alarm at the desk' });
    await waitFor(() => announced(id), { timeoutMs: 10_000 });
    await sleep(2_500);
    expect(sightings(desk.frames, id)).toBe(1);
  }, 90_000);

  it('dies after announcing, before recording it: the repeat on the wire is dropped by the gateway', async () => {
    await survivor?.stop();
    const doomed = env.track(await startAlarmsProcess(env.infra, { crashAt: 'after-announce' }));
    const id = await raise('s2');
    await doomed.exited;
    expect(doomed.child.signalCode).toBe('SIGKILL');
    await waitFor(() => sightings(desk.frames, id) === 1, { timeoutMs: 10_000, message: 'alarm at the desk' });
    expect(await announced(id)).toBe(false);

    survivor = env.track(await startAlarmsProcess(env.infra));
    await waitFor(() => announced(id), { timeoutMs: 20_000, message: 'redelivered raise handled' });
    await waitFor(() => raisedOnWire(id) === 2, { message: 'the raise announced a second time' });
    await sleep(2_500);
    expect(sightings(desk.frames, id)).toBe(1);
  }, 90_000);

  it('killed while idle: a raise stored meanwhile is delivered once by the next instance, and its escalation timer survives', async () => {
    await survivor?.kill9();
    const id = await raise('s3');
    await sleep(500);
    expect(sightings(desk.frames, id)).toBe(0);
    const next = env.track(await startAlarmsProcess(env.infra, { env: { ALARM_ESCALATE_AFTER_MS: '1500' } }));
    await waitFor(() => sightings(desk.frames, id) === 1, { timeoutMs: 20_000, message: 'alarm at the desk' });

    // Escalation is a timer in Redis: kill the instance before it is due, start another.
    await next.kill9();
    env.track(await startAlarmsProcess(env.infra, { env: { ALARM_ESCALATE_AFTER_MS: '1500' } }));
    const escalated = await desk.next((f) => f.type === 'alarm' && f['event'] === 'escalated' && (f as unknown as AlarmEvent).alarm.alarmId === id, 20_000);
    expect((escalated as unknown as AlarmEvent).alarm.escalationLevel).toBe(1);
    await sleep(1_000);
    expect(sightings(desk.frames, id)).toBe(1);
  }, 90_000);
});
