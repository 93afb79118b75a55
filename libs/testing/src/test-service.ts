import type { FastifyInstance } from 'fastify';
import type Type from 'typebox';
import { loadConfig, type CommonConfig } from '@nursing/config';
import { createLogger, type Logger } from '@nursing/logging';
import { createTokenSigner } from '@nursing/auth';
import { createServiceApp, createServiceDeps, type ServiceDeps, type ServiceModule } from '@nursing/service-kit';
import { useSharedInfra, type SharedInfra } from './shared-infra.ts';

/** The secret test apps sign and verify tokens with. */
export const TEST_JWT_SECRET = 'test-secret-for-integration-tests-0123456789abcdef';

export interface TestTokens {
  admin(sub?: string): string;
  coordinator(institution: string, sub?: string): string;
  nurse(id: string, institution: string): string;
  security(sub?: string): string;
}

export interface TestService<C extends CommonConfig> {
  app: FastifyInstance;
  deps: ServiceDeps<C> & { close(): Promise<void> };
  infra: SharedInfra;
  /** http://127.0.0.1:<port> when started with `listen`, else undefined. */
  url: string | undefined;
  /** ws://127.0.0.1:<port> when started with `listen`, else undefined. */
  wsUrl: string | undefined;
  tokens: TestTokens;
  close(): Promise<void>;
}

export interface TestServiceOptions<S extends Type.TObject> {
  envSchema: S;
  modules: (deps: ServiceDeps<Type.Static<S> & CommonConfig>) => ServiceModule[];
  /** Env values over the test defaults (namespace, servers, secret, silent logs). */
  env?: Record<string, string>;
  /** Listen on a real loopback port (WebSocket clients need one); otherwise use `inject`. */
  listen?: boolean;
  /** Share a namespace with other apps of the same test (several instances); a fresh one otherwise. */
  infra?: SharedInfra;
  /** Where the service logs (e.g. a collectLogs() sink at level trace); silent otherwise. */
  log?: Logger;
}

export function testTokens(secret = TEST_JWT_SECRET): TestTokens {
  const sign = createTokenSigner(secret);
  return {
    admin: (sub = 'admin-1') => sign({ sub, role: 'admin' }),
    coordinator: (institution, sub = `coord-${institution}`) => sign({ sub, role: 'coordinator', institution }),
    nurse: (id, institution) => sign({ sub: id, role: 'nurse', institution }),
    security: (sub = 'security-1') => sign({ sub, role: 'security' }),
  };
}

/**
 * A service app built from the given modules on the shared Redis and NATS, in a fresh
 * namespace (or the one passed in). `close()` stops it and, if it made the namespace,
 * deletes what the test left there.
 */
export async function startTestService<S extends Type.TObject>(options: TestServiceOptions<S>): Promise<TestService<Type.Static<S> & CommonConfig>> {
  const ownInfra = !options.infra;
  const infra = options.infra ?? (await useSharedInfra());
  const config = loadConfig(options.envSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...options.env,
  }) as Type.Static<S> & CommonConfig;
  const log = options.log ?? createLogger({ name: 'test', level: 'silent' });
  const deps = await createServiceDeps(config, log, 'test');
  let app: FastifyInstance;
  try {
    app = await createServiceApp(deps, 'test', options.modules(deps));
    if (options.listen) await app.listen({ port: 0, host: '127.0.0.1' });
    else await app.ready();
  } catch (err) {
    await deps.close();
    if (ownInfra) await infra.cleanup();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : undefined;
  return {
    app,
    deps,
    infra,
    url: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    wsUrl: port === undefined ? undefined : `ws://127.0.0.1:${port}`,
    tokens: testTokens(config.JWT_SECRET ?? TEST_JWT_SECRET),
    async close() {
      await app.close();
      await deps.close();
      if (ownInfra) await infra.cleanup();
    },
  };
}
