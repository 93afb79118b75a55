import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '@nursing/service-kit';
import { createAlarmsModule, type AlarmsDeps } from './module.ts';

/** The alarms service as an HTTP app, ready for `inject` in tests or `listen` in server.ts. */
export function buildAlarmsApp(deps: AlarmsDeps): Promise<FastifyInstance> {
  return createServiceApp(deps, 'alarms', [createAlarmsModule(deps)]);
}
