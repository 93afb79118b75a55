import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Msg } from '@nats-io/transport-node';
import type { DispatchReply, NurseInboxMessage } from '@nursing/contracts';
import { natsSubjects } from '@nursing/contracts';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { orderFixture } from '../fixtures.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('nurse socket <-> dispatch over NATS', () => {
  let env: GatewayTestEnv;
  let subjects: ReturnType<typeof natsSubjects>;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
    subjects = natsSubjects(env.ns);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await env?.close();
  });

  it('forwards an offer from her inbox and relays her accept with the nurseId from her token', async () => {
    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-relay', 'inst-a'));
    sockets.push(nurse);
    const offer: NurseInboxMessage = {
      type: 'offer',
      orderId: 'o-relay',
      itemCode: 'INJ-01',
      itemName: 'Injection',
      distanceMeters: 1200,
      area: '85309acffffffff',
      window: orderFixture().window,
      feeYuan: 120,
      expiresAtMs: Date.now() + 30_000,
    };
    // Her inbox subscription reaches the NATS server asynchronously: publish until she has it.
    const publisher = setInterval(() => env.nc.publish(subjects.nurseInbox('n-relay'), encoder.encode(JSON.stringify(offer))), 50);
    try {
      expect(await nurse.next((f) => f.type === 'offer')).toEqual(offer);
    } finally {
      clearInterval(publisher);
    }

    const requests: unknown[] = [];
    const order = orderFixture({ id: 'o-relay', state: 'accepted', assignedNurseId: 'n-relay' });
    const dispatch = env.nc.subscribe(subjects.dispatchAccept, {
      callback: (_err, msg: Msg) => {
        requests.push(JSON.parse(decoder.decode(msg.data)));
        const reply: DispatchReply = { ok: true, order };
        msg.respond(encoder.encode(JSON.stringify(reply)));
      },
    });
    await env.nc.flush();
    nurse.send({ type: 'offer.accept', id: 'acc', orderId: 'o-relay' });
    const ack = await nurse.next((f) => f['id'] === 'acc');
    expect(requests).toEqual([{ nurseId: 'n-relay', orderId: 'o-relay' }]);
    expect(ack).toMatchObject({ type: 'ack', of: 'offer.accept', ok: true, result: { order: { id: 'o-relay', state: 'accepted' } } });
    dispatch.unsubscribe();
  });

  it('turns a dispatch refusal into an error frame with its code', async () => {
    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-late', 'inst-a'));
    sockets.push(nurse);
    const dispatch = env.nc.subscribe(subjects.dispatchGrab, {
      callback: (_err, msg: Msg) => {
        const reply: DispatchReply = { ok: false, error: { code: 'ORDER_TAKEN', message: 'another nurse took it' } };
        msg.respond(encoder.encode(JSON.stringify(reply)));
      },
    });
    await env.nc.flush();
    nurse.send({ type: 'grab', id: 'g1', orderId: 'o-taken' });
    expect(await nurse.next((f) => f['id'] === 'g1')).toEqual({ type: 'error', id: 'g1', code: 'ORDER_TAKEN', message: 'another nurse took it' });
    dispatch.unsubscribe();
  });

  it('answers UNAVAILABLE when no dispatch instance responds', async () => {
    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-alone', 'inst-a'));
    sockets.push(nurse);
    nurse.send({ type: 'offer.decline', id: 'd1', orderId: 'o-x', reason: 'too far' });
    expect(await nurse.next((f) => f['id'] === 'd1')).toMatchObject({ type: 'error', code: 'UNAVAILABLE' });
  });
});
