import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSubjects, RedisKeys } from '@nursing/contracts';
import type { PresenceStore } from '@nursing/presence';
import { catalogRoutes } from '../catalog/catalog-routes.ts';
import { createInstitutionRepository } from './institution-repository.ts';
import { institutionRoutes } from './institution-routes.ts';
import { createNurseRepository } from './nurse-repository.ts';
import { nurseRoutes } from './nurse-routes.ts';

export { createInstitutionRepository, type InstitutionRepository } from './institution-repository.ts';
export { createNurseRepository, type NurseRepository } from './nurse-repository.ts';
export { institutionsWithin, type NearbyInstitution } from './nearby-institutions.ts';
export { matchesNurseFilter, type NurseFilter } from './nurse-filter.ts';
export { MAX_CLOCK_SKEW_MS } from './nurse-routes.ts';

export interface RegistryDeps {
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  /** Epoch ms. */
  now: () => number;
  presence: PresenceStore;
}

/** The registry's HTTP routes: institutions, nurses (profiles, location, status) and the catalogue. */
export function registryRoutes(deps: RegistryDeps) {
  const institutions = createInstitutionRepository(deps);
  const nurses = createNurseRepository(deps);
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(institutionRoutes(institutions));
    await app.register(nurseRoutes({ nurses, presence: deps.presence, now: deps.now }));
    await app.register(catalogRoutes());
  };
}
