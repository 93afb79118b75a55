import type { FastifyInstance } from 'fastify';
import type { CommonConfig } from '@nursing/config';
import { createHttpApp } from './http/create-http-app.ts';
import type { ReadinessCheck } from './http/health-routes.ts';
import type { ServiceDeps } from './service-deps.ts';
import type { ServiceModule } from './service-module.ts';

/** Readiness of the shared parts: Redis answers PING, NATS answers a flush. */
export function standardReadiness(deps: ServiceDeps): Record<string, ReadinessCheck> {
  return {
    redis: async () => {
      await deps.redis.ping();
    },
    nats: async () => {
      if (deps.bus.nc.isClosed()) throw new Error('connection closed');
      await deps.bus.nc.flush();
    },
  };
}

/** The HTTP app of one or more service modules, wired to the deps' auth and readiness. */
export function createServiceApp<C extends CommonConfig>(deps: ServiceDeps<C>, title: string, modules: ServiceModule[]): Promise<FastifyInstance> {
  return createHttpApp({
    log: deps.log,
    title,
    modules,
    readiness: standardReadiness(deps),
    metrics: deps.metrics,
    rateLimit: { redis: deps.redis, nameSpace: `${deps.config.NAMESPACE}:ratelimit:` },
    auth: {
      verifyToken: deps.verifyToken,
      isDisabled: async (sub) => (await deps.redis.sismember(deps.keys.disabledSubjects, sub)) === 1,
    },
  });
}
