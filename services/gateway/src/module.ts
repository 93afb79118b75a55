import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import type { GatewayConfig } from './env.ts';

export type GatewayDeps = ServiceDeps<GatewayConfig>;

/** The gateway service: its routes and background work, built from what it is given. */
export function createGatewayModule(deps: GatewayDeps): ServiceModule {
  void deps;
  return { name: 'gateway' };
}
