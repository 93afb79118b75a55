import { startNatsServer, startRedisServer, testNamespace, type LocalServer, type SharedInfra } from '@nursing/testing';

export interface PrivateInfra extends SharedInfra {
  redis: LocalServer;
  nats: LocalServer;
}

/**
 * A private redis-server (AOF, fsync always: kill -9 loses nothing acknowledged) and
 * nats-server (JetStream on file storage) that a test may kill and restart on the same
 * port and data. `cleanup()` stops both and removes their data.
 */
export async function startPrivateInfra(): Promise<PrivateInfra> {
  const redis = await startRedisServer({ appendOnly: true });
  let nats: LocalServer;
  try {
    nats = await startNatsServer();
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return {
    ns: testNamespace(),
    redisUrl: redis.url,
    natsUrl: nats.url,
    redis,
    nats,
    async cleanup() {
      await Promise.allSettled([redis.stop(), nats.stop()]);
    },
  };
}
