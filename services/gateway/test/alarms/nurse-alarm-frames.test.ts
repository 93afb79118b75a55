import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { natsSubjects, redisKeys, streamNames, type AlarmRaisedMessage } from '@nursing/contracts';
import { createTokenSigner } from '@nursing/auth';
import { startNatsServer, useSharedInfra, waitFor, type LocalServer } from '@nursing/testing';
import { TEST_JWT_SECRET, openSocket, startGatewayTestApp, startGatewayTestEnv, type GatewayTestEnv } from '../harness.ts';
import { alarmFixture, storeOpenAlarm } from './alarm-fixtures.ts';

describe('nurse socket: alarm and checkin frames', () => {
  let env: GatewayTestEnv;
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
  });
  afterAll(() => env?.close());

  const url = () => `${env.gateways[0]!.wsUrl}/ws/nurse`;
  const storedRaises = async (): Promise<AlarmRaisedMessage[]> => {
    const jsm = await jetstreamManager(env.nc);
    const stream = streamNames(env.ns).alarms;
    const info = await jsm.streams.info(stream);
    const out: AlarmRaisedMessage[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq });
      if (stored) out.push(stored.json<AlarmRaisedMessage>());
    }
    return out;
  };

  it('acks an alarm only once it is stored in JetStream, as the token says who raised it; a retry is a duplicate', async () => {
    const nurse = await openSocket(url(), env.tokens.nurse('n1', 'inst-a'));
    const pressedAt = Date.now() - 2_000;
    nurse.send({ type: 'alarm', id: 'f1', alarmId: 'alarm-frame-1', atMs: pressedAt, note: 'help' });
    expect(await nurse.next((f) => f['id'] === 'f1')).toEqual({ type: 'ack', id: 'f1', of: 'alarm', ok: true, result: { alarmId: 'alarm-frame-1', duplicate: false } });
    const stored = (await storedRaises()).filter((m) => m.alarmId === 'alarm-frame-1');
    expect(stored).toEqual([
      { alarmId: 'alarm-frame-1', nurseId: 'n1', institutionId: 'inst-a', kind: 'panic', drill: false, raisedAt: new Date(pressedAt).toISOString(), source: 'socket', note: 'help' },
    ]);
    nurse.send({ type: 'alarm', id: 'f2', alarmId: 'alarm-frame-1' });
    expect(await nurse.next((f) => f['id'] === 'f2')).toMatchObject({ type: 'ack', result: { alarmId: 'alarm-frame-1', duplicate: true } });
    expect((await storedRaises()).filter((m) => m.alarmId === 'alarm-frame-1')).toHaveLength(1);
    nurse.close();
  });

  it('refuses malformed alarm frames and stores nothing', async () => {
    const nurse = await openSocket(url(), env.tokens.nurse('n1', 'inst-a'));
    const before = (await storedRaises()).length;
    for (const [id, frame] of [
      ['b1', { type: 'alarm', id: 'b1' }],
      ['b2', { type: 'alarm', id: 'b2', alarmId: 'short' }],
      ['b3', { type: 'alarm', id: 'b3', alarmId: 'alarm-frame-9', kind: 'overdue' }],
      ['b4', { type: 'alarm', id: 'b4', alarmId: 'alarm-frame-9', nurseId: 'n2' }],
    ] as const) {
      nurse.send(frame);
      expect(await nurse.next((f) => f['id'] === id)).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    }
    expect((await storedRaises()).length).toBe(before);
    nurse.close();
  });

  it('relays a check-in to the alarms service and answers with its reply', async () => {
    const subjects = natsSubjects(env.ns);
    const seen: unknown[] = [];
    const responder = env.nc.subscribe(subjects.welfareCheckin, {
      queue: subjects.alarmsQueue,
      callback: (_err, msg) => {
        const req = msg.json<{ nurseId: string; orderId: string }>();
        seen.push(req);
        const reply = req.orderId === 'o-mine' ? { ok: true, orderId: 'o-mine', deadlineAt: '2030-01-01T00:15:00.000Z' } : { ok: false, error: { code: 'FORBIDDEN', message: 'not your visit' } };
        msg.respond(JSON.stringify(reply));
      },
    });
    await env.nc.flush();
    const nurse = await openSocket(url(), env.tokens.nurse('n1', 'inst-a'));
    nurse.send({ type: 'checkin', id: 'c1', orderId: 'o-mine' });
    expect(await nurse.next((f) => f['id'] === 'c1')).toEqual({ type: 'ack', id: 'c1', of: 'checkin', ok: true, result: { orderId: 'o-mine', deadlineAt: '2030-01-01T00:15:00.000Z' } });
    nurse.send({ type: 'checkin', id: 'c2', orderId: 'o-other' });
    expect(await nurse.next((f) => f['id'] === 'c2')).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(seen).toEqual([{ nurseId: 'n1', orderId: 'o-mine' }, { nurseId: 'n1', orderId: 'o-other' }]);
    responder.unsubscribe();
    await env.nc.flush();
    nurse.send({ type: 'checkin', id: 'c3', orderId: 'o-mine' });
    expect(await nurse.next((f) => f['id'] === 'c3', 8_000)).toMatchObject({ type: 'error', code: 'UNAVAILABLE' });
    nurse.close();
  });

  it('a nurse reconnecting with an open alarm is told again to report every second', async () => {
    const keys = redisKeys(env.ns);
    await storeOpenAlarm(env.gateways[0]!.deps.redis, keys, alarmFixture({ alarmId: 'alarm-follow-1', nurseId: 'n5' }));
    const nurse = await openSocket(url(), env.tokens.nurse('n5', 'inst-a'));
    expect(await nurse.next((f) => f.type === 'follow')).toEqual({ type: 'follow', alarmId: 'alarm-follow-1', intervalMs: 1000 });
    const other = await openSocket(url(), env.tokens.nurse('n6', 'inst-a'));
    other.send({ type: 'ping', id: 'p' });
    await other.next((f) => f.type === 'pong');
    expect(other.frames.some((f) => f.type === 'follow')).toBe(false);
    nurse.close();
    other.close();
  });
});

describe('nurse socket: alarm while NATS is down', () => {
  let nats: LocalServer;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(() => nats?.stop());

  it('answers UNAVAILABLE, and the same alarm is stored once NATS is back', async () => {
    const infra = await useSharedInfra();
    const gateway = await startGatewayTestApp({ ...infra, natsUrl: nats.url });
    const sign = createTokenSigner(TEST_JWT_SECRET);
    try {
      const nurse = await openSocket(`${gateway.wsUrl}/ws/nurse`, sign({ sub: 'n1', role: 'nurse', institution: 'inst-a' }));
      await nats.kill9();
      nurse.send({ type: 'alarm', id: 'u1', alarmId: 'alarm-unavail-1' });
      const answer = await waitFor(() => nurse.frames.find((f) => f['id'] === 'u1'), { timeoutMs: 15_000, message: 'answer while NATS is down' });
      expect(answer).toMatchObject({ type: 'error', code: 'UNAVAILABLE' });
      await nats.restart();
      // The app retries with the same id until it gets an ack.
      const ack = await waitFor(
        async () => {
          const id = `u-${Date.now()}`;
          nurse.send({ type: 'alarm', id, alarmId: 'alarm-unavail-1' });
          const reply = await nurse.next((f) => f['id'] === id, 10_000);
          return reply.type === 'ack' ? reply : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, message: 'alarm stored after NATS came back' },
      );
      expect(ack).toMatchObject({ result: { alarmId: 'alarm-unavail-1' } });
      // Whether or not the publish buffered during the outage went out on reconnect, it is stored once.
      const jsm = await jetstreamManager(gateway.deps.bus.nc);
      expect((await jsm.streams.info(streamNames(infra.ns).alarms)).state.messages).toBe(1);
      nurse.close();
    } finally {
      await gateway.close();
      await infra.cleanup();
    }
  }, 60_000);
});
