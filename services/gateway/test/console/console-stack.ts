import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CommonEnv, loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createTokenSigner } from '@nursing/auth';
import { createServiceApp, createServiceDeps, type ServiceDeps } from '@nursing/service-kit';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { createDispatchModule, DispatchEnv } from '@nursing/dispatch';
import { AlarmsEnv, createAlarmsModule } from '@nursing/alarms';
import { GatewayEnv } from '../../src/env.ts';
import { createGatewayModule } from '../../src/module.ts';

export const CONSOLE_TEST_SECRET = 'test-secret-for-console-browser-tests-0123456789';

const StackEnvSchema = Type.Object({ ...CommonEnv, ...DispatchEnv, ...GatewayEnv, ...AlarmsEnv });
type StackConfig = Type.Static<typeof StackEnvSchema>;

export interface ConsoleStack {
  infra: SharedInfra;
  app: FastifyInstance;
  deps: ServiceDeps<StackConfig>;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  wsUrl: string;
  nc: NatsConnection;
  sign: ReturnType<typeof createTokenSigner>;
  tokens: {
    admin(): string;
    coordinator(institution: string, sub?: string): string;
    nurse(id: string, institution: string): string;
    security(sub?: string): string;
  };
  /** REST call with a bearer token; throws with the body on a non-2xx status. */
  call<T>(method: string, path: string, token: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * Dispatch, gateway and alarms in one Fastify app on a real port, as `npm start`
 * composes them, on the shared Redis and NATS in a fresh namespace: what the browser
 * tests and the map benchmark drive with a real Chromium.
 */
export async function startConsoleStack(overrides: Record<string, string> = {}): Promise<ConsoleStack> {
  const infra = await useSharedInfra();
  const config = loadConfig(StackEnvSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: CONSOLE_TEST_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    MAP_FLUSH_MS: '100',
    ...overrides,
  });
  const log = createLogger({ name: 'console-test', level: config.LOG_LEVEL });
  const deps = await createServiceDeps(config, log, 'console-test');
  let app: FastifyInstance;
  try {
    app = await createServiceApp(deps, 'console-test', [createDispatchModule(deps), createGatewayModule(deps), createAlarmsModule(deps)]);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await deps.close();
    await infra.cleanup();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const nc = await connect({ servers: infra.natsUrl });
  const sign = createTokenSigner(CONSOLE_TEST_SECRET);

  async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    infra,
    app,
    deps,
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    nc,
    sign,
    tokens: {
      admin: () => sign({ sub: 'admin-1', role: 'admin' }),
      coordinator: (institution, sub = `coord-${institution}`) => sign({ sub, role: 'coordinator', institution }),
      nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
      security: (sub = 'desk-1') => sign({ sub, role: 'security' }),
    },
    call,
    async close() {
      await nc.close();
      await app.close();
      await deps.close();
      await infra.cleanup();
    },
  };
}
