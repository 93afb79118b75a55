import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNatsServer, waitFor, type LocalServer } from '@nursing/testing';
import { INST } from '../fixtures.ts';
import { newAlarmId } from '../harness.ts';
import { startAlarmsProcess } from '../processes/alarms-process.ts';
import { startGatewayProcess } from '../processes/gateway-process.ts';
import type { ServiceProcess } from '@nursing/testing';
import { openClient, raiseOver, sightings, type TestClient } from '../processes/ws-client.ts';
import { startRecoveryEnv, type RecoveryEnv } from './recovery-env.ts';

// A private nats-server with JetStream on file storage, restarted (kill -9, then
// started again on the same port and store) while a raise waits for delivery.
let nats: LocalServer;
let env: RecoveryEnv;
let gateway: ServiceProcess;
let desk: TestClient;
let nurse: TestClient;

beforeAll(async () => {
  nats = await startNatsServer();
  env = await startRecoveryEnv(nats.url);
  gateway = env.track(await startGatewayProcess(env.infra));
  desk = await openClient(`${gateway.wsUrl}/ws/security`, env.tokens.security());
  await desk.next((f) => f.type === 'alarms.snapshot');
  nurse = await openClient(`${gateway.wsUrl}/ws/nurse`, env.tokens.nurse('n1', INST));
}, 60_000);
afterAll(async () => {
  desk?.close();
  nurse?.close();
  await env?.close();
  await nats?.stop();
});

async function restartNats(): Promise<void> {
  await nats.kill9();
  await nats.restart();
}

describe('restart nats-server between raise and delivery', () => {
  let alarms: ServiceProcess | undefined;

  it('a stored raise survives the restart and reaches the desk once', async () => {
    const id = newAlarmId();
    expect(await raiseOver(nurse, id, 'r1')).toMatchObject({ type: 'ack', result: { alarmId: id, duplicate: false } });
    await restartNats();
    // The gateway (and its desk and nurse sockets) stay up and reconnect to NATS by themselves.
    alarms = env.track(await startAlarmsProcess(env.infra));
    await waitFor(() => sightings(desk.frames, id) === 1, { timeoutMs: 30_000, message: 'alarm at the desk after the restart' });
    await sleep(3_000);
    expect(sightings(desk.frames, id)).toBe(1);
  }, 90_000);

  it('with everything running: delivered once before the restart, not again after; new raises flow', async () => {
    const before = newAlarmId();
    expect(await raiseOver(nurse, before, 'r2')).toMatchObject({ type: 'ack' });
    await waitFor(() => sightings(desk.frames, before) === 1, { timeoutMs: 15_000 });
    await restartNats();
    // The app may retry while NATS is away; a retry after the restart is still the same alarm.
    const after = newAlarmId();
    const answer = await waitFor(async () => {
      const a = await raiseOver(nurse, after, `r3-${Date.now()}`);
      return a.type === 'ack' ? a : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, message: 'raise accepted after the restart' });
    expect(answer).toMatchObject({ result: { alarmId: after } });
    expect(await raiseOver(nurse, before, 'r4')).toMatchObject({ type: 'ack', result: { alarmId: before } });
    await waitFor(() => sightings(desk.frames, after) === 1, { timeoutMs: 30_000 });
    await sleep(3_000);
    expect(sightings(desk.frames, before)).toBe(1);
    expect(sightings(desk.frames, after)).toBe(1);
    expect(alarms?.child.exitCode).toBeNull();
  }, 90_000);
});
