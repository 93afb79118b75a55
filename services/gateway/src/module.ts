import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import { createPresenceStore, positionsByCell } from '@nursing/presence';
import { WS_CLOSE } from '@nursing/contracts';
import type { GatewayConfig } from './env.ts';
import type { GatewayContext } from './gateway-context.ts';
import { createPositionBatcher } from './location/position-batcher.ts';
import { createDispatchClient } from './nurse/dispatch-client.ts';
import { createOfflineSweep } from './nurse/offline-sweep.ts';
import { nurseSocketHandler } from './nurse/nurse-socket.ts';
import { createCellHub } from './fanout/cell-hub.ts';
import { createStatusHub } from './fanout/status-hub.ts';
import { createMapFeed } from './fanout/map-feed.ts';
import { createNurseInstitutions } from './fanout/nurse-institutions.ts';
import { coordinatorSocketHandler } from './fanout/coordinator-socket.ts';
import { securitySocketHandler } from './security/security-socket.ts';
import { createHeartbeat } from './sockets/heartbeat.ts';
import { socketAuth } from './sockets/socket-auth.ts';
import { createSocketRegistry } from './sockets/socket-registry.ts';
import { DEFAULT_SLOW_CLIENT_LIMITS, type SlowClientLimits } from './sockets/slow-client-guard.ts';
import { trackRoute } from './replay/track-route.ts';
import { consoleRoutes } from './console/console-routes.ts';

export type GatewayDeps = ServiceDeps<GatewayConfig>;

/** Timings tests shorten; production uses the defaults. */
export interface GatewayOptions {
  heartbeatMs?: number;
  offlineAfterMs?: number;
  offlineSweepMs?: number;
  positionFlushMs?: number;
  slowClient?: Partial<SlowClientLimits>;
}

/**
 * The gateway service: the nurse, coordinator and security sockets, the location
 * pipeline (validate, batch into Redis, publish per coarse cell), fan-out to maps,
 * and trail replay. Holds no state that matters beyond its sockets: positions and
 * presence are in Redis, everything else travels over NATS.
 */
export function createGatewayModule(deps: GatewayDeps, options: GatewayOptions = {}): ServiceModule {
  const { config, redis, bus, keys, subjects, log, now } = deps;
  const presence = createPresenceStore({ redis, nc: bus.nc, keys, subjects, trailLength: config.TRAIL_LENGTH });
  const cellHub = createCellHub({ nc: bus.nc, subjects, log, origin: presence.origin });
  const statusHub = createStatusHub({ nc: bus.nc, subjects, log });
  const institutions = createNurseInstitutions({ redis, keys, now });
  const ctx: GatewayContext = {
    config,
    log,
    now,
    redis,
    nc: bus.nc,
    keys,
    subjects,
    presence,
    batcher: createPositionBatcher({
      write: async (batch) => {
        const byCell = positionsByCell(batch);
        // This instance's maps take the batch now, not once Redis answers: under load that
        // answer waits a whole poll round behind the nurse sockets (half-load move-to-map p99
        // 366 -> 266 ms). A fix whose write fails was still a real reading, and the app resends it.
        cellHub.local(byCell);
        await presence.recordPositions(batch, byCell);
        deps.metrics.counter('positionsIngested').inc(batch.length);
      },
      flushMs: options.positionFlushMs,
    }),
    dispatch: createDispatchClient({ nc: bus.nc }),
    offline: createOfflineSweep({ presence, log, now, offlineAfterMs: options.offlineAfterMs, sweepEveryMs: options.offlineSweepMs }),
    cellHub,
    mapFeed: createMapFeed({ cellHub, statusHub, institutions, metrics: deps.metrics, log, now, flushMs: config.MAP_FLUSH_MS }),
    statusHub,
    institutions,
    heartbeat: createHeartbeat(options.heartbeatMs),
    slowClient: { ...DEFAULT_SLOW_CLIENT_LIMITS, ...options.slowClient },
    sockets: createSocketRegistry(deps.metrics),
    metrics: deps.metrics,
  };
  const authDeps = {
    verifyToken: deps.verifyToken,
    isDisabled: async (sub: string) => (await redis.sismember(keys.disabledSubjects, sub)) === 1,
  };

  return {
    name: 'gateway',
    description: 'Gateway: nurse, coordinator and security WebSockets, the location pipeline, live maps and trail replay.',
    routes: async (app) => {
      app.get('/ws/nurse', { websocket: true, preValidation: socketAuth(authDeps, 'nurse') }, nurseSocketHandler(ctx));
      app.get('/ws/coordinator', { websocket: true, preValidation: socketAuth(authDeps, 'coordinator', 'admin') }, coordinatorSocketHandler(ctx));
      app.get('/ws/security', { websocket: true, preValidation: socketAuth(authDeps, 'security', 'admin') }, securitySocketHandler(ctx));
      await app.register(trackRoute({ redis, keys, presence, now }));
      await app.register(consoleRoutes({ config }));
    },
    async start() {
      ctx.statusHub.start();
      ctx.heartbeat.start();
      ctx.offline.start();
    },
    async stop() {
      // The HTTP shell has already closed every socket with 1001 (reconnect elsewhere); this
      // catches any that opened during shutdown.
      for (const socket of ctx.sockets) socket.close(WS_CLOSE.GOING_AWAY, 'server shutting down');
      ctx.heartbeat.stop();
      ctx.offline.stop();
      await ctx.batcher.stop();
      ctx.mapFeed.stop();
      ctx.cellHub.stop();
      ctx.statusHub.stop();
    },
  };
}
