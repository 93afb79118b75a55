import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nursing/testing';
import { INST } from '../fixtures.ts';
import { newAlarmId } from '../harness.ts';
import { startAlarmsProcess } from '../processes/alarms-process.ts';
import { startGatewayProcess } from '../processes/gateway-process.ts';
import { openClient, raiseOver, sightings } from '../processes/ws-client.ts';
import { startRecoveryEnv, type RecoveryEnv } from './recovery-env.ts';

// Real processes: two gateways and an alarms service on one namespace. The alarms
// service starts only after the gateways died, so every kill falls between the raise
// (stored, acknowledged to the app) and its delivery to the desks.
let env: RecoveryEnv;
beforeAll(async () => {
  env = await startRecoveryEnv();
});
afterAll(() => env?.close());

describe('kill -9 a gateway between raise and delivery', () => {
  it('every desk learns of each alarm exactly once after recovery', async () => {
    const nurseSide = env.track(await startGatewayProcess(env.infra));
    const deskSide = env.track(await startGatewayProcess(env.infra));
    const movingDesk = await openClient(`${deskSide.wsUrl}/ws/security`, env.tokens.security('moving'));
    await movingDesk.next((f) => f.type === 'alarms.snapshot');

    // X: stored and acknowledged to the app, then its gateway dies.
    let nurse = await openClient(`${nurseSide.wsUrl}/ws/nurse`, env.tokens.nurse('n1', INST));
    const x = newAlarmId();
    expect(await raiseOver(nurse, x, 'f1')).toMatchObject({ type: 'ack', of: 'alarm', result: { alarmId: x, duplicate: false } });
    // Y: the gateway dies right after the frame left the phone; the app never saw an answer.
    const y = newAlarmId();
    nurse.send({ type: 'alarm', id: 'f2', alarmId: y });
    await nurseSide.kill9();
    await nurse.closed;

    // The app reconnects (to a new instance) and sends Y again, same id, until acknowledged.
    const nurseSide2 = env.track(await startGatewayProcess(env.infra));
    nurse = await openClient(`${nurseSide2.wsUrl}/ws/nurse`, env.tokens.nurse('n1', INST));
    expect(await raiseOver(nurse, y, 'f3')).toMatchObject({ type: 'ack', result: { alarmId: y } });
    expect(await raiseOver(nurse, x, 'f4')).toMatchObject({ type: 'ack', result: { alarmId: x, duplicate: true } });

    // The desk's gateway dies too, before anything was delivered.
    await deskSide.kill9();
    await movingDesk.closed;
    const deskSide2 = env.track(await startGatewayProcess(env.infra));
    const lateDesk = await openClient(`${deskSide2.wsUrl}/ws/security`, env.tokens.security('late'));
    await lateDesk.next((f) => f.type === 'alarms.snapshot');

    // Now the alarms service: both alarms are delivered.
    env.track(await startAlarmsProcess(env.infra));
    await waitFor(() => sightings(lateDesk.frames, x) === 1 && sightings(lateDesk.frames, y) === 1, { timeoutMs: 20_000, message: 'both alarms at the desk' });

    // A desk that reconnects after delivery finds them in its snapshot, and only there.
    const reconnected = await openClient(`${deskSide2.wsUrl}/ws/security`, env.tokens.security('moving'));
    await reconnected.next((f) => f.type === 'alarms.snapshot');
    await sleep(3_000);
    for (const id of [x, y]) {
      expect(sightings(lateDesk.frames, id)).toBe(1);
      expect(sightings(reconnected.frames, id)).toBe(1);
    }
    expect(await env.redis.zrange(env.keys.allAlarms, '0', '-1')).toEqual(expect.arrayContaining([x, y]));
    expect(await env.redis.zcard(env.keys.allAlarms)).toBe(2);
    for (const c of [nurse, lateDesk, reconnected]) c.close();
  }, 120_000);
});
