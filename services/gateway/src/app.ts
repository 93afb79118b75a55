import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '@nursing/service-kit';
import { createGatewayModule, type GatewayDeps } from './module.ts';

/** The gateway service as an HTTP app, ready for `inject` in tests or `listen` in server.ts. */
export function buildGatewayApp(deps: GatewayDeps): Promise<FastifyInstance> {
  return createServiceApp(deps, 'gateway', [createGatewayModule(deps)]);
}
