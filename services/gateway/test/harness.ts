import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createTokenSigner } from '@nursing/auth';
import { createServiceApp, createServiceDeps } from '@nursing/service-kit';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
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
  tokens: {
    admin(sub?: string): string;
    coordinator(institution: string, sub?: string): string;
    nurse(id: string, institution: string): string;
    security(sub?: string): string;
  };
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
  const sign = createTokenSigner(TEST_JWT_SECRET);
  return {
    infra,
    ns: infra.ns,
    gateways,
    nc,
    tokens: {
      admin: (sub = 'admin-1') => sign({ sub, role: 'admin' }),
      coordinator: (institution, sub = `coord-${institution}`) => sign({ sub, role: 'coordinator', institution }),
      nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
      security: (sub = 'security-1') => sign({ sub, role: 'security' }),
    },
    async close() {
      await nc.close();
      await Promise.all(gateways.map((g) => g.close()));
      await infra.cleanup();
    },
  };
}

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A test's WebSocket client: records every frame and waits for the ones it expects. */
export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  send(frame: object | string): void;
  /** The first frame (already received or coming) matching the predicate. */
  next(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function openSocket(url: string, token?: string, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, autoPong: options.autoPong ?? true });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const socket: TestSocket = {
    ws,
    frames,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = frames.find(predicate);
          if (!hit) return false;
          waiters.delete(onFrame);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const onFrame = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(onFrame);
          reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`));
        }, timeoutMs);
        if (!check()) waiters.add(onFrame);
      });
    },
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
  });
}

/** The HTTP status with which the server refused a handshake (101 when it upgraded). */
export function handshakeStatus(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
