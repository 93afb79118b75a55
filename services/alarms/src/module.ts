import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import type { AlarmsConfig } from './env.ts';

export type AlarmsDeps = ServiceDeps<AlarmsConfig>;

/** The alarms service: its routes and background work, built from what it is given. */
export function createAlarmsModule(deps: AlarmsDeps): ServiceModule {
  void deps;
  return { name: 'alarms' };
}
