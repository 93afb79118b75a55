import type { FastifyInstance } from 'fastify';
import type { ServiceModule } from '@nursing/service-kit';
import { startTestService, type TestTokens } from '@nursing/testing';
import { DispatchEnvSchema } from '../src/env.ts';
import { createDispatchModule, type DispatchDeps } from '../src/module.ts';

export { TEST_JWT_SECRET } from '@nursing/testing';

export interface DispatchTestApp {
  app: FastifyInstance;
  deps: DispatchDeps & { close(): Promise<void> };
  ns: string;
  redisUrl: string;
  natsUrl: string;
  /** Bearer tokens signed with the app's secret. */
  tokens: TestTokens;
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
  const service = await startTestService({
    envSchema: DispatchEnvSchema,
    env: overrides,
    modules: options.modules ?? ((deps) => [createDispatchModule(deps)]),
  });
  return {
    app: service.app,
    deps: service.deps,
    ns: service.infra.ns,
    redisUrl: service.infra.redisUrl,
    natsUrl: service.infra.natsUrl,
    tokens: service.tokens,
    close: () => service.close(),
  };
}

/** Request headers carrying a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
