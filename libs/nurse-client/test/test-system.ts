import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { CommonEnv, loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createTokenSigner } from '@nursing/auth';
import { createServiceApp, createServiceDeps, type ServiceDeps } from '@nursing/service-kit';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { createDispatchModule, DispatchEnv } from '@nursing/dispatch';
import { createGatewayModule, GatewayEnv } from '@nursing/gateway';
import type { LatLng, NurseCreate, OrderCreate } from '@nursing/contracts';

export const TEST_SECRET = 'test-secret-for-nurse-client-tests-0123456789abcdef';
export const CENTRE: LatLng = { lat: 31.2304, lng: 121.4737 };

const SystemEnvSchema = Type.Object({ ...CommonEnv, ...DispatchEnv, ...GatewayEnv });

export interface SystemInstance {
  app: FastifyInstance;
  deps: ServiceDeps;
  httpUrl: string;
  /** ws://127.0.0.1:<port>/ws/nurse */
  nurseUrl: string;
  stop(): Promise<void>;
}

/** Dispatch and gateway in one app (as `npm start` hosts them), listening on a free loopback port. */
async function startInstance(infra: SharedInfra): Promise<SystemInstance> {
  const config = loadConfig(SystemEnvSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const deps = await createServiceDeps(config, createLogger({ name: 'test', level: 'silent' }), 'nurse-client-test');
  let app: FastifyInstance;
  try {
    app = await createServiceApp(deps, 'test', [createDispatchModule(deps), createGatewayModule(deps, { heartbeatMs: 500 })]);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await deps.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped = false;
  return {
    app,
    deps,
    httpUrl: `http://127.0.0.1:${port}`,
    nurseUrl: `ws://127.0.0.1:${port}/ws/nurse`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await deps.close();
    },
  };
}

export interface TestSystem {
  ns: string;
  instances: SystemInstance[];
  tokens: { admin(): string; coordinator(institution: string): string; nurse(id: string, institution: string): string };
  /** An authenticated JSON call to instance 0. */
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** `count` instances of dispatch + gateway on one fresh namespace of the shared Redis and NATS. */
export async function startTestSystem(count = 1): Promise<TestSystem> {
  const infra = await useSharedInfra();
  const instances: SystemInstance[] = [];
  try {
    for (let i = 0; i < count; i++) instances.push(await startInstance(infra));
  } catch (err) {
    await Promise.all(instances.map((i) => i.stop()));
    await infra.cleanup();
    throw err;
  }
  const sign = createTokenSigner(TEST_SECRET);
  return {
    ns: infra.ns,
    instances,
    tokens: {
      admin: () => sign({ sub: 'admin-1', role: 'admin' }),
      coordinator: (institution) => sign({ sub: `coord-${institution}`, role: 'coordinator', institution }),
      nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
    },
    async call(method, path, token, body) {
      const res = await fetch(`${instances[0]!.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await Promise.all(instances.map((i) => i.stop()));
      await infra.cleanup();
    },
  };
}

export function qualifiedNurse(id: string, institutionId: string): NurseCreate {
  return {
    id,
    institutionId,
    name: `Nurse ${id}`,
    registrationNumber: `REG-${id.replace(/[^A-Za-z0-9]/g, '').padEnd(6, '0')}`,
    title: 'supervisor_nurse',
    yearsExperience: 8,
    certifications: [],
    specialtyGroups: ['wounds'],
    homeServiceTrained: true,
    suspended: false,
  };
}

export function orderBody(location: LatLng, mode: 'push' | 'grab'): OrderCreate {
  const start = Date.now() + 3_600_000;
  return {
    patient: { id: 'p-1', name: 'Test Patient', phone: '13800138000', address: '1 Test Road', location },
    itemCode: 'vital_signs_monitoring',
    mode,
    assessment: { doctorName: 'Dr Test', assessedAt: new Date().toISOString() },
    consent: { recordId: 'consent-1', signedAt: new Date().toISOString(), signedBy: 'Test Patient' },
    window: { startAt: new Date(start).toISOString(), endAt: new Date(start + 7_200_000).toISOString() },
  };
}
