import type { FastifyInstance } from 'fastify';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createServiceApp, createServiceDeps } from '@nursing/service-kit';
import { testTokens, useSharedInfra, type SharedInfra, type TestTokens } from '@nursing/testing';
import { GatewayEnvSchema } from '../src/env.ts';
import { createGatewayModule, type GatewayDeps, type GatewayOptions } from '../src/module.ts';

export const TEST_JWT_SECRET = 'test-secret-for-gateway-integration-tests-0123456789';

/** Short timings so heartbeat, offline and slow-client tests finish in about a second. */
export const TEST_GATEWAY_OPTIONS: GatewayOptions = { heartbeatMs: 200, offlineAfterMs: 300, offlineSweepMs: 100, slowClient: { graceMs: 500 } };

export interface GatewayTestApp {
  app: FastifyInstance;
  deps: GatewayDeps & { close(): Promise<void> };
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  close(): Promise<void>;
}

export interface GatewayTestEnv {
  infra: SharedInfra;
  ns: string;
  /** Gateway instances on the same namespace (tests of cross-instance fan-out use two). */
  gateways: GatewayTestApp[];
  /** A plain NATS connection for the test to play dispatch. */
  nc: NatsConnection;
  tokens: TestTokens;
  close(): Promise<void>;
}

/** One gateway listening on a real port (ws clients need one) in the given namespace. */
export async function startGatewayTestApp(
  infra: SharedInfra,
  overrides: Record<string, string> = {},
  options: GatewayOptions = TEST_GATEWAY_OPTIONS,
): Promise<GatewayTestApp> {
  const config = loadConfig(GatewayEnvSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    MAP_FLUSH_MS: '50',
    ...overrides,
  });
  const log = createLogger({ name: 'test', level: 'silent' });
  const deps = await createServiceDeps(config, log, 'test-gateway');
  let app: FastifyInstance;
  try {
    app = await createServiceApp(deps, 'test', [createGatewayModule(deps, options)]);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await deps.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    deps,
    wsUrl: `ws://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await deps.close();
    },
  };
}

/** `count` gateway instances sharing a fresh namespace, plus a NATS connection and token signers. */
export async function startGatewayTestEnv(
  count = 1,
  overrides: Record<string, string> = {},
  options: GatewayOptions = TEST_GATEWAY_OPTIONS,
): Promise<GatewayTestEnv> {
  const infra = await useSharedInfra();
  const gateways: GatewayTestApp[] = [];
  try {
    for (let i = 0; i < count; i++) gateways.push(await startGatewayTestApp(infra, overrides, options));
  } catch (err) {
    await Promise.all(gateways.map((g) => g.close()));
    await infra.cleanup();
    throw err;
  }
  const nc = await connect({ servers: infra.natsUrl });
  return {
    infra,
    ns: infra.ns,
    gateways,
    nc,
    tokens: testTokens(TEST_JWT_SECRET),
    async close() {
      await nc.close();
      await Promise.all(gateways.map((g) => g.close()));
      await infra.cleanup();
    },
  };
}

export { handshakeStatus, openTestSocket as openSocket, type Frame, type TestSocket } from '@nursing/testing';
