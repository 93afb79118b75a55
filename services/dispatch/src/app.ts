import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '@nursing/service-kit';
import { createDispatchModule, type DispatchDeps } from './module.ts';

/** The dispatch service as an HTTP app, ready for `inject` in tests or `listen` in server.ts. */
export function buildDispatchApp(deps: DispatchDeps): Promise<FastifyInstance> {
  return createServiceApp(deps, 'dispatch', [createDispatchModule(deps)]);
}
