import type { ServiceDeps, ServiceModule } from '@nursing/service-kit';
import { createPresenceStore } from '@nursing/presence';
import type { DispatchConfig } from './env.ts';
import { createNurseRepository, registryRoutes } from './registry/index.ts';
import { createNurseIndex } from './matching/nurse-index.ts';
import { createMatcher } from './matching/matcher.ts';
import { createOrderStore } from './orders/order-store.ts';
import { createOrderService } from './orders/order-service.ts';
import { orderRoutes } from './orders/order-routes.ts';
import { serveNurseRequests } from './orders/nurse-requests.ts';
import { createTimerQueue } from '@nursing/timer-queue';
import { createAuditLog } from './audit/audit-log.ts';
import { createNotifier } from './notify/notifier.ts';
import { orderEventMetrics } from './notify/order-metrics.ts';
import { statsRoutes } from './stats/stats-routes.ts';
import { supplyRoutes } from './stats/supply-routes.ts';

export type DispatchDeps = ServiceDeps<DispatchConfig>;

/**
 * The dispatch service: registry, catalogue, orders, matching, push offers, grab
 * broadcasts, timers and the audit trail. Any number of instances share Redis and NATS.
 */
export function createDispatchModule(deps: DispatchDeps): ServiceModule {
  const { config, redis, bus, keys, subjects, streams, log, now } = deps;
  const presence = createPresenceStore({ redis, nc: bus.nc, keys, subjects });
  const index = createNurseIndex({ redis, nc: bus.nc, keys, subjects, presence, log });
  const matcher = createMatcher({
    index,
    redis,
    keys,
    now,
    settings: { radiusMeters: config.MATCH_RADIUS_M, maxPositionAgeMs: config.POSITION_MAX_AGE_MS },
  });
  const store = createOrderStore({ redis, keys });
  const timers = createTimerQueue({ redis, key: keys.timers('dispatch'), log, now, pollMs: config.TIMER_POLL_MS });
  const audit = createAuditLog({
    js: bus.js,
    jsm: bus.jsm,
    subjects,
    streamName: streams.audit,
    replicas: config.NATS_STREAM_REPLICAS,
    outbox: { redis, key: keys.auditOutbox, nc: bus.nc, log },
  });
  const notifier = createNotifier({ nc: bus.nc, subjects, now, observe: orderEventMetrics(deps.metrics, now) });
  const service = createOrderService({
    store,
    matcher,
    index,
    timers,
    audit,
    notifier,
    presence,
    redis,
    keys,
    log,
    now,
    nurses: createNurseRepository({ redis, nc: bus.nc, keys, subjects, now }),
    settings: {
      offerTtlMs: config.OFFER_TTL_MS,
      grabWindowMs: config.GRAB_WINDOW_MS,
      grabFallbackToPush: config.GRAB_FALLBACK_TO_PUSH,
      maxPositionAgeMs: config.POSITION_MAX_AGE_MS,
      radiusMeters: config.MATCH_RADIUS_M,
    },
  });
  const requests = serveNurseRequests({ nc: bus.nc, subjects, service, log });
  const registry = registryRoutes({ redis, nc: bus.nc, keys, subjects, now, presence });
  const orders = orderRoutes({ service, matcher, store, audit, createLimitPerMin: config.ORDER_CREATE_LIMIT_PER_MIN });

  return {
    name: 'dispatch',
    description: 'Dispatch: registry, catalogue, orders, matching within 10 km, push offers and grab broadcasts.',
    routes: async (app) => {
      await app.register(registry);
      await app.register(orders);
      await app.register(statsRoutes({ store, now }));
      await app.register(supplyRoutes({ index, store, now, maxPositionAgeMs: config.POSITION_MAX_AGE_MS }));
    },
    async start() {
      await audit.ensureStream();
      audit.start();
      await index.start();
      requests.start();
      timers.start((member) => service.onTimer(member));
    },
    async stop() {
      await requests.stop();
      await timers.stop();
      await audit.stop();
      await index.stop();
    },
  };
}
