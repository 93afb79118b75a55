import type { FastifyInstance } from 'fastify';
import { callJson, openTestSocket, type TestSocket } from '@nursing/testing';
import { loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createServiceDeps, type ServiceDeps } from '@nursing/service-kit';
import { buildDispatchApp, DispatchEnvSchema } from '@nursing/dispatch';
import { buildGatewayApp, GatewayEnvSchema } from '@nursing/gateway';
import { AlarmsEnvSchema, buildAlarmsApp } from '@nursing/alarms';

export const CLUSTER_TEST_SECRET = 'cluster-test-secret-0123456789-0123456789';

/** One service instance listening on loopback, connected to the clustered Redis and NATS. */
export interface RunningService {
  name: string;
  app: FastifyInstance;
  deps: ServiceDeps & { close(): Promise<void> };
  baseUrl: string;
  close(): Promise<void>;
}

type Builder = 'dispatch' | 'gateway' | 'alarms';
const BUILDERS = {
  dispatch: { schema: DispatchEnvSchema, build: buildDispatchApp },
  gateway: { schema: GatewayEnvSchema, build: buildGatewayApp },
  alarms: { schema: AlarmsEnvSchema, build: buildAlarmsApp },
} as const;

/** Starts a dispatch, gateway or alarms instance the way server.ts would, on a free port. */
export async function startService(kind: Builder, name: string, env: Record<string, string>): Promise<RunningService> {
  const { schema, build } = BUILDERS[kind];
  const config = loadConfig(schema, { JWT_SECRET: CLUSTER_TEST_SECRET, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const deps = await createServiceDeps(config, createLogger({ name, level: (process.env['CLUSTER_TEST_LOG_LEVEL'] ?? 'silent') as 'silent' }), name);
  let app: FastifyInstance;
  try {
    // Both builders take the deps of their own config; the schemas differ only in service settings.
    app = await (build as (d: typeof deps) => Promise<FastifyInstance>)(deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await deps.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    name,
    app,
    deps,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await deps.close();
    },
  };
}

export type { Frame } from '@nursing/testing';

export type NurseSocket = TestSocket;

/** A nurse app's socket, patient with a cluster that may be failing over (20 s per frame). */
export function openNurseSocket(url: string, token: string): Promise<NurseSocket> {
  return openTestSocket(url, token, { timeoutMs: 20_000 });
}

/** The parts of the services' JSON replies the cluster test reads. */
export interface Reply {
  id?: string;
  state?: string;
  offer?: { nurseId: string };
  entries?: { action: string; at: string }[];
  error?: { code: string; message: string };
  [field: string]: unknown;
}

/** JSON over HTTP against a running instance (real sockets, not inject: the instances are real servers). */
export function call(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Reply }> {
  return callJson<Reply>(base, method, path, token, body);
}
