import type { ServiceModule } from '@nursing/service-kit';
import { createPresenceStore, type PresenceStore } from '@nursing/presence';
import type { Institution, NurseCreate } from '@nursing/contracts';
import { registryRoutes } from '../../src/registry/index.ts';
import type { DispatchDeps } from '../../src/module.ts';
import { bearer, startDispatchTestApp, type DispatchTestApp } from '../harness.ts';

export interface RegistryTestApp extends DispatchTestApp {
  presence: PresenceStore;
}

/**
 * An app hosting the registry routes alone (plus `extra` modules), so these tests do
 * not depend on how module.ts wires the rest of dispatch.
 */
export async function startRegistryTestApp(extra: (deps: DispatchDeps) => ServiceModule[] = () => []): Promise<RegistryTestApp> {
  let presence: PresenceStore | undefined;
  const started = await startDispatchTestApp(
    {},
    {
      modules: (deps) => {
        presence = createPresenceStore({ redis: deps.redis, nc: deps.bus.nc, keys: deps.keys, subjects: deps.subjects });
        const routes = registryRoutes({ ...deps, nc: deps.bus.nc, presence });
        return [{ name: 'registry', routes }, ...extra(deps)];
      },
    },
  );
  if (!presence) throw new Error('registry module was not built');
  return { ...started, presence };
}

export const SHANGHAI = { lat: 31.2304, lng: 121.4737 };

export function institution(id: string, location = SHANGHAI): Institution {
  return { id, name: `Community health centre ${id}`, kind: 'community_health_centre', location };
}

export function nurseCreate(id: string, institutionId: string, extra: Partial<NurseCreate> = {}): NurseCreate {
  return {
    id,
    institutionId,
    name: `Nurse ${id}`,
    registrationNumber: `REG-${id}`.slice(0, 32).padEnd(6, '0'),
    title: 'nurse_practitioner',
    yearsExperience: 6,
    certifications: [],
    specialtyGroups: ['catheters'],
    homeServiceTrained: true,
    suspended: false,
    ...extra,
  };
}

/** Registers an institution as admin; fails the test if that does not work. */
export async function seedInstitution(t: DispatchTestApp, inst: Institution): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/institutions', headers: bearer(t.tokens.admin()), payload: inst });
  if (res.statusCode !== 201) throw new Error(`seeding institution ${inst.id}: ${res.statusCode} ${res.body}`);
}

export async function seedNurse(t: DispatchTestApp, nurse: NurseCreate): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: bearer(t.tokens.admin()), payload: nurse });
  if (res.statusCode !== 201) throw new Error(`seeding nurse ${nurse.id}: ${res.statusCode} ${res.body}`);
}
