import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handshakeStatus, startGatewayTestEnv, type GatewayTestEnv } from '../harness.ts';

describe('socket handshake authentication', () => {
  let env: GatewayTestEnv;
  let url: string;
  beforeAll(async () => {
    env = await startGatewayTestEnv(1);
    url = env.gateways[0]!.wsUrl;
  });
  afterAll(() => env?.close());

  it('refuses a missing or bad token with 401 before the upgrade', async () => {
    expect(await handshakeStatus(`${url}/ws/nurse`)).toBe(401);
    expect(await handshakeStatus(`${url}/ws/coordinator`, 'not-a-jwt')).toBe(401);
    expect(await handshakeStatus(`${url}/ws/security`, `${env.tokens.security()}x`)).toBe(401);
  });

  it('refuses each role on the other roles\' sockets with 403', async () => {
    const nurse = env.tokens.nurse('n-auth', 'inst-a');
    const coordinator = env.tokens.coordinator('inst-a');
    const security = env.tokens.security();
    expect(await handshakeStatus(`${url}/ws/nurse`, coordinator)).toBe(403);
    expect(await handshakeStatus(`${url}/ws/nurse`, security)).toBe(403);
    expect(await handshakeStatus(`${url}/ws/coordinator`, nurse)).toBe(403);
    expect(await handshakeStatus(`${url}/ws/coordinator`, security)).toBe(403);
    expect(await handshakeStatus(`${url}/ws/security`, nurse)).toBe(403);
    expect(await handshakeStatus(`${url}/ws/security`, coordinator)).toBe(403);
  });

  it('upgrades each role on its own socket, also with ?token=', async () => {
    expect(await handshakeStatus(`${url}/ws/nurse`, env.tokens.nurse('n-auth', 'inst-a'))).toBe(101);
    expect(await handshakeStatus(`${url}/ws/coordinator`, env.tokens.coordinator('inst-a'))).toBe(101);
    expect(await handshakeStatus(`${url}/ws/security?token=${env.tokens.security()}`)).toBe(101);
  });

  it('refuses a disabled account with 401', async () => {
    await env.gateways[0]!.deps.redis.sadd(env.gateways[0]!.deps.keys.disabledSubjects, 'n-gone');
    expect(await handshakeStatus(`${url}/ws/nurse`, env.tokens.nurse('n-gone', 'inst-a'))).toBe(401);
  });
});
