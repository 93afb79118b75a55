import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { deleteJetStreamNamespace, deleteRedisNamespace } from './namespace-cleanup.ts';
import { testNamespace } from './test-namespace.ts';

/** A fresh namespace on the shared Redis and NATS, and how to remove what a test left there. */
export interface SharedInfra {
  ns: string;
  redisUrl: string;
  natsUrl: string;
  /** Deletes the namespace's Redis keys and JetStream streams. */
  cleanup(): Promise<void>;
}

const HOW_TO_START =
  'start it with `sudo apt-get install -y redis-server nats-server` (Debian/Ubuntu) or `docker compose up -d redis nats`, ' +
  'or keep `npm start` running in another terminal (it starts local servers from installed binaries)';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function openRedis(url: string): Promise<Redis> {
  // No retries: an absent server should fail the suite now, not hang it.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis not reachable at ${url} (${messageOf(error)}): ${HOW_TO_START}, or set TEST_REDIS_URL.`);
  }
}

async function openNats(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, timeout: 2000, reconnect: false });
  } catch (error) {
    throw new Error(`NATS not reachable at ${url} (${messageOf(error)}): ${HOW_TO_START}, or set TEST_NATS_URL.`);
  }
}

/**
 * For integration tests on the shared servers: a fresh namespace plus the URLs from
 * TEST_REDIS_URL / REDIS_URL and TEST_NATS_URL / NATS_URL (local defaults otherwise).
 * Fails with instructions when either server does not answer. Call cleanup() in afterAll.
 */
export async function useSharedInfra(): Promise<SharedInfra> {
  const env = process.env;
  const redisUrl = env['TEST_REDIS_URL'] || env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const natsUrl = env['TEST_NATS_URL'] || env['NATS_URL'] || 'nats://127.0.0.1:4222';
  const ns = testNamespace();

  const [redis, nats] = await Promise.allSettled([openRedis(redisUrl), openNats(natsUrl)]);
  if (redis.status === 'fulfilled') redis.value.disconnect();
  if (nats.status === 'fulfilled') await nats.value.close();
  const failures = [redis, nats].flatMap((result) => (result.status === 'rejected' ? [messageOf(result.reason)] : []));
  if (failures.length > 0) throw new Error(failures.join('\n'));

  return {
    ns,
    redisUrl,
    natsUrl,
    async cleanup() {
      const [client, nc] = await Promise.all([openRedis(redisUrl), openNats(natsUrl)]);
      try {
        await deleteRedisNamespace(client, ns);
        await deleteJetStreamNamespace(await jetstreamManager(nc), ns);
      } finally {
        client.disconnect();
        await nc.close();
      }
    },
  };
}
