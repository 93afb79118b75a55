import { natsSubjects, redisKeys, streamNames, type NatsSubjects, type RedisKeys } from '@nursing/contracts';
import type { CommonConfig } from '@nursing/config';
import type { Logger } from '@nursing/logging';
import { createTokenVerifier, resolveJwtSecret, type TokenVerifier } from '@nursing/auth';
import { connectRedis, safeUrl, waitForRedis, type Redis } from './connections/redis.ts';
import { connectNats, type Bus } from './connections/nats.ts';
import { createServiceMetrics, type ServiceMetrics } from './metrics/service-metrics.ts';

/** Everything a service module is built from. Passed in, never imported as a singleton. */
export interface ServiceDeps<C extends CommonConfig = CommonConfig> {
  config: C;
  log: Logger;
  redis: Redis;
  bus: Bus;
  keys: RedisKeys;
  subjects: NatsSubjects;
  streams: ReturnType<typeof streamNames>;
  verifyToken: TokenVerifier;
  /** Epoch ms; injectable so timer logic can be tested without waiting. */
  now: () => number;
  /** The process's metrics (served at /metrics); modules add theirs by catalogue key. */
  metrics: ServiceMetrics;
}

/** Connects Redis and NATS and resolves the signing secret; `close()` releases all of it. */
export async function createServiceDeps<C extends CommonConfig>(
  config: C,
  log: Logger,
  name: string,
): Promise<ServiceDeps<C> & { close(): Promise<void> }> {
  const { secret, source, file } = resolveJwtSecret(config);
  if (source === 'dev-file') log.warn({ file }, 'using a generated development JWT secret (set JWT_SECRET in production)');
  const metrics = createServiceMetrics({ defaultLabels: { service: name } });
  const redis = connectRedis(config.REDIS_URL, log, metrics);
  try {
    await waitForRedis(redis, config.REDIS_URL);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  let bus: Bus;
  try {
    bus = await connectNats(config.NATS_URL, log, name, metrics);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  log.info({ redis: safeUrl(config.REDIS_URL), nats: config.NATS_URL, namespace: config.NAMESPACE }, 'connected');
  return {
    config,
    log,
    redis,
    bus,
    keys: redisKeys(config.NAMESPACE),
    subjects: natsSubjects(config.NAMESPACE),
    streams: streamNames(config.NAMESPACE),
    verifyToken: createTokenVerifier(secret),
    now: Date.now,
    metrics,
    async close() {
      await bus.nc.drain().catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
