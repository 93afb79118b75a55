import type { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSubjects, RedisKeys } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';
import type { GatewayConfig } from './env.ts';
import type { PositionBatcher } from './location/position-batcher.ts';
import type { DispatchClient } from './nurse/dispatch-client.ts';
import type { OfflineSweep } from './nurse/offline-sweep.ts';
import type { CellHub } from './fanout/cell-hub.ts';
import type { MapFeed } from './fanout/map-feed.ts';
import type { StatusHub } from './fanout/status-hub.ts';
import type { NurseInstitutions } from './fanout/nurse-institutions.ts';
import type { createHeartbeat } from './sockets/heartbeat.ts';
import type { SlowClientLimits } from './sockets/slow-client-guard.ts';
import type { SocketRegistry } from './sockets/socket-registry.ts';
import type { ServiceMetrics } from '@nursing/service-kit';

/** What the socket handlers of one gateway instance share; built once in module.ts. */
export interface GatewayContext {
  config: GatewayConfig;
  log: Logger;
  now: () => number;
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  presence: PresenceStore;
  batcher: PositionBatcher;
  dispatch: DispatchClient;
  offline: OfflineSweep;
  cellHub: CellHub;
  mapFeed: MapFeed;
  statusHub: StatusHub;
  institutions: NurseInstitutions;
  heartbeat: ReturnType<typeof createHeartbeat>;
  slowClient: SlowClientLimits;
  /** Every open socket of the instance, counted by kind. */
  sockets: SocketRegistry;
  metrics: ServiceMetrics;
}
