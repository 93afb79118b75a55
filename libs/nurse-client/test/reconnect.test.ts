import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createPresenceStore } from '@nursing/presence';
import { createTokenSigner } from '@nursing/auth';
import { waitFor } from '@nursing/testing';
import { createNurseClient, type NurseClient, type NurseClientError } from '../src/index.ts';
import { CENTRE, startTestSystem, type TestSystem } from './test-system.ts';

const FAST = { minDelayMs: 50, maxDelayMs: 500, jitterMs: 50, connectTimeoutMs: 5_000 };

function nextEvent<T>(subscribe: (listener: (payload: T) => void) => () => void, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event in ${timeoutMs} ms`));
    }, timeoutMs);
    const off = subscribe((payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

describe('nurse client: reconnection', () => {
  let system: TestSystem;
  const clients: NurseClient[] = [];
  beforeAll(async () => {
    system = await startTestSystem(2);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await system?.close();
  });

  it('reconnects to the second instance when the first stops, and what she sent meanwhile is answered there', async () => {
    const [first, second] = system.instances as [TestSystem['instances'][0], TestSystem['instances'][0]];
    const client = createNurseClient({ url: [first.nurseUrl, second.nurseUrl], token: system.tokens.nurse('n-failover', 'i1'), backoff: FAST });
    clients.push(client);
    await nextEvent((l) => client.on('open', l));
    expect(await client.status('available')).toMatchObject({ nurseId: 'n-failover', status: 'available' });

    const lost = nextEvent((l) => client.on('close', l));
    const back = nextEvent<{ reconnected: boolean }>((l) => client.on('open', l), 20_000);
    await first.stop();
    await lost;
    expect(client.connected).toBe(false);
    // Sent while no socket is open: kept, then sent on the new connection.
    const fix = { lat: CENTRE.lat, lng: CENTRE.lng, accuracyM: 8, atMs: Date.now() };
    client.location(fix);
    const pong = client.ping();
    expect(client.unacknowledged).toBe(2);

    expect(await back).toEqual({ reconnected: true });
    await pong;
    await waitFor(() => client.unacknowledged === 0, { timeoutMs: 10_000, message: 'every frame answered' });
    expect(client.reconnections).toBe(1);
    const presence = createPresenceStore({ redis: second.deps.redis, nc: second.deps.bus.nc, keys: second.deps.keys, subjects: second.deps.subjects });
    expect(await presence.getPosition('n-failover')).toMatchObject({ lat: fix.lat, lng: fix.lng, atMs: fix.atMs });
  }, 60_000);

  it('sends a frame again after a reconnection when the server that received it never answered', async () => {
    const live = system.instances[1]!;
    // A server that takes frames and answers none, then drops the connection: a gateway dying mid-request.
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    const swallowed: { type: string; id: number }[] = [];
    silent.on('connection', (ws) =>
      ws.on('message', (data) => {
        swallowed.push(JSON.parse(String(data)) as { type: string; id: number });
        if (swallowed.length === 2) ws.close(1012, 'restarting');
      }),
    );
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = createNurseClient({ url: [`ws://127.0.0.1:${port}/ws/nurse`, live.nurseUrl], token: system.tokens.nurse('n-resend', 'i1'), backoff: FAST });
      clients.push(client);
      const status = client.status('available');
      const grab = client.grab('no-such-order');
      const grabbed = grab.catch((err: NurseClientError) => err.code);

      expect(await status).toMatchObject({ nurseId: 'n-resend', status: 'available' });
      // The very frames the silent server swallowed, same ids, answered by the real gateway.
      expect(swallowed.map((f) => [f.type, f.id])).toEqual([
        ['status', 1],
        ['grab', 2],
      ]);
      expect(await grabbed).toBe('NOT_FOUND');
      expect(client.reconnections).toBe(1);
    } finally {
      silent.close();
    }
  }, 30_000);

  it('gives up with UNAUTHENTICATED when the gateway refuses its token, rejecting what waits', async () => {
    const forged = createTokenSigner('another-secret-that-the-gateway-does-not-know-0123')({ sub: 'n-forged', role: 'nurse', institution: 'i1' });
    const client = createNurseClient({ url: system.instances[1]!.nurseUrl, token: forged, backoff: FAST });
    clients.push(client);
    const error = nextEvent<NurseClientError>((l) => client.on('error', l));
    const status = client.status('available');
    expect((await error).code).toBe('UNAUTHENTICATED');
    await expect(status).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(client.ping()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  }, 20_000);
});
