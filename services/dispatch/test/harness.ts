import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createTokenSigner } from '@nursing/auth';
import { createServiceApp, createServiceDeps, type ServiceModule } from '@nursing/service-kit';
import { useSharedInfra } from '@nursing/testing';
import { DispatchEnvSchema } from '../src/env.ts';
import { buildDispatchApp } from '../src/app.ts';
import type { DispatchDeps } from '../src/module.ts';

export const TEST_JWT_SECRET = 'test-secret-for-dispatch-integration-tests-0123456789';

export interface DispatchTestApp {
  app: FastifyInstance;
  deps: DispatchDeps & { close(): Promise<void> };
  ns: string;
  redisUrl: string;
  natsUrl: string;
  /** Bearer tokens signed with the app's secret. */
  tokens: {
    admin(sub?: string): string;
    coordinator(institution: string, sub?: string): string;
    nurse(id: string, institution: string): string;
    security(sub?: string): string;
  };
  close(): Promise<void>;
}

export interface DispatchTestAppOptions {
  /**
   * Builds the app from these modules instead of the full dispatch module, so a part
   * (e.g. the registry) can be tested before or apart from the module that wires it.
   */
  modules?: (deps: DispatchDeps) => ServiceModule[];
}

/**
 * The dispatch app on the shared Redis and NATS, in a fresh namespace, ready for
 * `inject`. `close()` stops the app, drops the connections and deletes the namespace.
 */
export async function startDispatchTestApp(
  overrides: Record<string, string> = {},
  options: DispatchTestAppOptions = {},
): Promise<DispatchTestApp> {
  const infra = await useSharedInfra();
  const config = loadConfig(DispatchEnvSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...overrides,
  });
  const log = createLogger({ name: 'test', level: 'silent' });
  const deps = await createServiceDeps(config, log, 'test');
  let app: FastifyInstance;
  try {
    app = options.modules ? await createServiceApp(deps, 'test', options.modules(deps)) : await buildDispatchApp(deps);
    await app.ready();
  } catch (err) {
    await deps.close();
    await infra.cleanup();
    throw err;
  }
  const sign = createTokenSigner(config.JWT_SECRET ?? TEST_JWT_SECRET);
  return {
    app,
    deps,
    ns: infra.ns,
    redisUrl: infra.redisUrl,
    natsUrl: infra.natsUrl,
    tokens: {
      admin: (sub = 'admin-1') => sign({ sub, role: 'admin' }),
      coordinator: (institution, sub = `coord-${institution}`) => sign({ sub, role: 'coordinator', institution }),
      nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
      security: (sub = 'security-1') => sign({ sub, role: 'security' }),
    },
    async close() {
      await app.close();
      await deps.close();
      await infra.cleanup();
    },
  };
}

/** Request headers carrying a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
