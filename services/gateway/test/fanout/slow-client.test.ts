import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsSubjects, WS_CLOSE, type OrderEvent } from '@nursing/contracts';
import { openSocket, startGatewayTestEnv, TEST_GATEWAY_OPTIONS, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { CITY_BOX, orderFixture } from '../fixtures.ts';

const encoder = new TextEncoder();

describe('a map that stops reading', () => {
  let env: GatewayTestEnv;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    // A paused reader cannot answer pings either; keep the heartbeat out of this test.
    env = await startGatewayTestEnv(1, {}, { ...TEST_GATEWAY_OPTIONS, heartbeatMs: 60_000 });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await env?.close();
  });

  it('is held back, not buffered for without bound, and closed with 4408 when it does not catch up', async () => {
    const map = await openSocket(`${env.gateways[0]!.wsUrl}/ws/coordinator`, env.tokens.coordinator('inst-slow', 'coord-slow'));
    sockets.push(map);
    map.send({ type: 'viewport', id: 'v', ...CITY_BOX });
    await map.next((f) => f.type === 'ack' && f['id'] === 'v');
    // Stop reading: the kernel's buffers fill, then the server's.
    const tcp = (map.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();

    const subjects = natsSubjects(env.ns);
    const event: OrderEvent & { padding: string } = {
      type: 'order.event',
      event: 'updated',
      order: orderFixture({ id: 'o-slow' }),
      at: new Date().toISOString(),
      padding: 'x'.repeat(1_500),
    };
    const data = encoder.encode(JSON.stringify(event));
    const published = 16_000; // ~26 MB, well past loopback's socket buffers
    for (let i = 0; i < published; i++) env.nc.publish(subjects.orderEvent('inst-slow', `o-slow-${i}`), data);
    await env.nc.flush();

    // Grace is 500 ms in tests; give the server time to notice, then read again.
    await new Promise((r) => setTimeout(r, 1_500));
    tcp.resume();
    const closed = await map.closed;
    expect(closed.code).toBe(WS_CLOSE.TOO_SLOW);
    // It never got the whole backlog: what was held back was conflated or dropped with the socket.
    const delivered = map.frames.filter((f) => f.type === 'order.event').length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(published);
  }, 30_000);
});
