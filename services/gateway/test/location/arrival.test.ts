import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Msg } from '@nats-io/transport-node';
import type { DispatchReply } from '@nursing/contracts';
import { natsSubjects } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { PEOPLES_SQUARE, north, orderFixture, seedOrder } from '../fixtures.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('arrival detection', () => {
  let env: GatewayTestEnv;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await env?.close();
  });

  it('reports "arrived" to dispatch once when she comes within the radius of her en-route order', async () => {
    const { redis, keys } = env.gateways[0]!.deps;
    const subjects = natsSubjects(env.ns);
    const order = orderFixture({ id: 'o-arrive', state: 'en_route', assignedNurseId: 'n-arrive' });
    await seedOrder(redis, keys, order);
    await redis.set(keys.activeOrder('n-arrive'), 'o-arrive');

    const requests: Array<Record<string, unknown>> = [];
    const dispatch = env.nc.subscribe(subjects.dispatchProgress, {
      callback: (_err, msg: Msg) => {
        requests.push(JSON.parse(decoder.decode(msg.data)) as Record<string, unknown>);
        const reply: DispatchReply = { ok: true, order: { ...order, state: 'arrived' } };
        msg.respond(encoder.encode(JSON.stringify(reply)));
      },
    });
    await env.nc.flush();

    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-arrive', 'inst-a'));
    sockets.push(nurse);
    const t = Date.now();
    nurse.send({ type: 'location', id: 'far', ...north(PEOPLES_SQUARE, 500), atMs: t - 60_000 });
    await nurse.next((f) => f['id'] === 'far');
    nurse.send({ type: 'location', id: 'near', ...north(PEOPLES_SQUARE, 50), atMs: t - 1_000 });
    await nurse.next((f) => f['id'] === 'near');
    await waitFor(() => requests.length > 0, { timeoutMs: 2000, message: 'a progress request' });
    expect(requests[0]).toMatchObject({ nurseId: 'n-arrive', orderId: 'o-arrive', step: 'arrived' });

    nurse.send({ type: 'location', id: 'door', ...north(PEOPLES_SQUARE, 10), atMs: t });
    await nurse.next((f) => f['id'] === 'door');
    await new Promise((r) => setTimeout(r, 100));
    expect(requests).toHaveLength(1);
    dispatch.unsubscribe();
  });

  it('records her departure once, when she leaves the home after the visit (not on GPS jitter at the door)', async () => {
    const { redis, keys } = env.gateways[0]!.deps;
    const subjects = natsSubjects(env.ns);
    const order = orderFixture({ id: 'o-depart', state: 'en_route', assignedNurseId: 'n-depart' });
    await seedOrder(redis, keys, order);
    await redis.set(keys.activeOrder('n-depart'), 'o-depart');

    const steps: string[] = [];
    const dispatch = env.nc.subscribe(subjects.dispatchProgress, {
      callback: (_err, msg: Msg) => {
        const request = JSON.parse(decoder.decode(msg.data)) as { step: string; orderId: string };
        if (request.orderId !== 'o-depart') return;
        steps.push(request.step);
        const reply: DispatchReply = { ok: true, order: { ...order, state: request.step === 'arrived' ? 'arrived' : 'completed' } };
        msg.respond(encoder.encode(JSON.stringify(reply)));
      },
    });
    await env.nc.flush();

    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-depart', 'inst-a'));
    sockets.push(nurse);
    const t = Date.now() - 120_000;
    const fix = async (id: string, meters: number, atMs: number) => {
      nurse.send({ type: 'location', id, ...north(PEOPLES_SQUARE, meters), atMs });
      await nurse.next((f) => f['id'] === id);
    };
    await fix('door', 20, t);
    await waitFor(() => steps.includes('arrived'), { timeoutMs: 2000, message: 'arrival' });
    await waitFor(async () => (await redis.exists(keys.visitAwaitingDeparture('n-depart'))) === 1, { timeoutMs: 2000, message: 'the visit remembered' });

    // The visit ends: dispatch clears her active order.
    await redis.hset(keys.order('o-depart'), 'state', 'completed');
    await redis.del(keys.activeOrder('n-depart'));
    await fix('jitter', 150, t + 60_000);
    await new Promise((r) => setTimeout(r, 150));
    expect(steps).toEqual(['arrived']);

    await fix('street', 400, t + 90_000);
    await waitFor(() => steps.includes('departed'), { timeoutMs: 2000, message: 'a departure' });
    await fix('further', 600, t + 100_000);
    await new Promise((r) => setTimeout(r, 150));
    expect(steps).toEqual(['arrived', 'departed']);
    expect(await redis.exists(keys.visitAwaitingDeparture('n-depart'))).toBe(0);
    dispatch.unsubscribe();
  });
});
