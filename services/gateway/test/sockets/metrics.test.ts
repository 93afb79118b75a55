import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { openSocket, startGatewayTestEnv, type GatewayTestEnv } from '../harness.ts';
import { PEOPLES_SQUARE } from '../fixtures.ts';

describe('gateway metrics', () => {
  let env: GatewayTestEnv;
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
  });
  afterAll(() => env?.close());

  const scrape = async () => (await env.gateways[0]!.app.inject({ url: '/metrics' })).body;
  const value = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(series))?.split(' ').at(-1) ?? NaN);

  it('counts open sockets by kind and ingested and refused positions', async () => {
    const nurse = await openSocket(`${env.gateways[0]!.wsUrl}/ws/nurse`, env.tokens.nurse('n-metrics', 'inst-a'));
    const map = await openSocket(`${env.gateways[0]!.wsUrl}/ws/coordinator`, env.tokens.coordinator('inst-a'));
    const t = Date.now();
    nurse.send({ type: 'location', id: 'ok', ...PEOPLES_SQUARE, atMs: t - 10_000 });
    await nurse.next((f) => f['id'] === 'ok');
    // 50 km in a second: refused as implausible.
    nurse.send({ type: 'location', id: 'jump', lat: PEOPLES_SQUARE.lat + 0.45, lng: PEOPLES_SQUARE.lng, atMs: t - 9_000 });
    expect(await nurse.next((f) => f['id'] === 'jump')).toMatchObject({ type: 'error' });

    await waitFor(async () => value(await scrape(), 'hn_positions_ingested_total') >= 1, { timeoutMs: 3_000, message: 'the fix counted' });
    const text = await scrape();
    expect(value(text, 'hn_ws_sockets_connected{kind="nurse"')).toBe(1);
    expect(value(text, 'hn_ws_sockets_connected{kind="coordinator"')).toBe(1);
    expect(value(text, 'hn_positions_rejected_total{reason="implausible"')).toBe(1);

    nurse.close();
    map.close();
    await waitFor(async () => value(await scrape(), 'hn_ws_sockets_connected{kind="nurse"') === 0, { timeoutMs: 3_000, message: 'the socket uncounted' });
  });
});
