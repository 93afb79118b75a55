import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE } from '@nursing/contracts';
import { createPresenceStore, type PresenceStore } from '@nursing/presence';
import { waitFor } from '@nursing/testing';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv, type TestSocket } from '../harness.ts';
import { PEOPLES_SQUARE, north } from '../fixtures.ts';

describe('nurse socket frame checks', () => {
  let env: GatewayTestEnv;
  const sockets: TestSocket[] = [];
  const nurse = async (id: string) => {
    const s = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse(id, 'inst-a'));
    sockets.push(s);
    return s;
  };
  let presence: PresenceStore;
  const stored = (id: string) => presence.getPosition(id);

  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
    const { redis, bus, keys, subjects } = env.gateways[0]!.deps;
    presence = createPresenceStore({ redis, nc: bus.nc, keys, subjects });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await env?.close();
  });

  it('answers an out-of-range location with an error frame and stores nothing', async () => {
    const s = await nurse('n-bad');
    s.send({ type: 'location', id: 'x1', lat: 200, lng: 121.47, atMs: Date.now() });
    const error = await s.next((f) => f['id'] === 'x1');
    expect(error).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(String(error['message'])).toContain('/lat');
    expect(await stored('n-bad')).toBeUndefined();
  });

  it('names bad JSON, a missing type, an unknown type and an unknown field', async () => {
    const s = await nurse('n-bad2');
    s.send('{not json');
    s.send({ id: 'y1' });
    s.send({ type: 'teleport', id: 'y2' });
    s.send({ type: 'offer.accept', id: 'y3', orderId: 'o-1', nurseId: 'someone-else' });
    await s.next((f) => f['id'] === 'y3');
    const errors = s.frames.filter((f) => f.type === 'error').map((f) => String(f['message']));
    expect(errors).toEqual([
      expect.stringContaining('not valid JSON'),
      expect.stringContaining('/type is missing'),
      expect.stringContaining('unknown type'),
      expect.stringContaining('nurseId'),
    ]);
  });

  it('refuses a fix from the future (clock skew) and an impossible jump (speed), storing neither', async () => {
    const s = await nurse('n-skew');
    s.send({ type: 'location', id: 'k1', ...PEOPLES_SQUARE, atMs: Date.now() + 120_000 });
    expect(await s.next((f) => f['id'] === 'k1')).toMatchObject({ type: 'error', message: expect.stringContaining('clock skew') });
    expect(await stored('n-skew')).toBeUndefined();

    const t = Date.now();
    s.send({ type: 'location', id: 'k2', ...PEOPLES_SQUARE, atMs: t - 10_000 });
    expect(await s.next((f) => f['id'] === 'k2')).toMatchObject({ type: 'ack', of: 'location' });
    s.send({ type: 'location', id: 'k3', ...north(PEOPLES_SQUARE, 5_000), atMs: t });
    expect(await s.next((f) => f['id'] === 'k3')).toMatchObject({ type: 'error', message: expect.stringContaining('impossible speed') });
    expect((await stored('n-skew'))?.atMs).toBe(t - 10_000);
  });

  it('closes with 4400 after 10 invalid frames in a minute', async () => {
    const s = await nurse('n-spam');
    for (let i = 0; i < 10; i++) s.send({ type: 'nonsense' });
    expect(await s.closed).toEqual({ code: WS_CLOSE.TOO_MANY_INVALID, reason: 'too many invalid frames' });
  });

  it('closes with 4429 a client far above the frame rate', async () => {
    const s = await nurse('n-flood');
    for (let i = 0; i < 100; i++) s.send({ type: 'ping' });
    expect((await s.closed).code).toBe(WS_CLOSE.RATE_LIMITED);
  });

  it('terminates a socket that stops answering pings', async () => {
    const s = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-silent', 'inst-a'), { autoPong: false });
    sockets.push(s);
    expect((await s.closed).code).toBe(1006);
  });

  it('sets a nurse offline some time after her socket is gone, not at once', async () => {
    const s = await nurse('n-leaves');
    s.send({ type: 'status', id: 'st', status: 'available' });
    expect(await s.next((f) => f['id'] === 'st')).toMatchObject({ type: 'ack', result: { status: 'available' } });
    s.close();
    await s.closed;
    expect((await presence.getPresence('n-leaves'))?.status).toBe('available');
    await waitFor(async () => (await presence.getPresence('n-leaves'))?.status === 'offline', { timeoutMs: 3000 });
  });
});
