import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import type { DispatchConfig } from './env.ts';

export type DispatchDeps = ServiceDeps<DispatchConfig>;

/** The dispatch service: its routes and background work, built from what it is given. */
export function createDispatchModule(deps: DispatchDeps): ServiceModule {
  void deps;
  return { name: 'dispatch' };
}
