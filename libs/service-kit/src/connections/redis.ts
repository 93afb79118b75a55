import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';
import type { Logger } from '@nursing/logging';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';

export type { Redis } from 'ioredis';

const retryStrategy = (attempt: number): number => Math.min(100 * 2 ** attempt, 2_000);

/**
 * A Redis client that reconnects with capped backoff and reports trouble once per
 * outage rather than once per retry. A comma-separated REDIS_URL
 * (`redis://a:6379,redis://b:6379,...`) names the seed nodes of a Redis Cluster.
 */
export function connectRedis(url: string, log: Logger, metrics?: ServiceMetrics): Redis {
  const seeds = redisClusterSeeds(url);
  const redis = seeds ? connectCluster(seeds) : new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableAutoPipelining: true, retryStrategy });
  const events = metrics?.counter('redisConnectionEvents');
  let down = false;
  redis.on('error', (err: Error) => {
    events?.inc({ event: 'error' });
    if (!down) log.warn({ err: { message: err.message } }, 'redis connection problem');
    down = true;
  });
  redis.on('node error', () => events?.inc({ event: 'node_error' }));
  redis.on('reconnecting', () => events?.inc({ event: 'reconnecting' }));
  redis.on('ready', () => {
    if (down) {
      events?.inc({ event: 'restored' });
      log.info('redis connection restored');
    }
    down = false;
  });
  return redis;
}

/**
 * A Redis Cluster client. Every key a script or pipeline touches together shares a hash
 * tag (see @nursing/contracts redis-keys), so commands route to one slot. The cast is
 * deliberate: Cluster offers the same command interface and events as Redis, and the
 * services use nothing that only a single node has (SELECT, MONITOR, keyspace SCAN).
 */
function connectCluster(seeds: { nodes: ClusterNode[]; redisOptions: RedisOptions }): Redis {
  const noAutoPipelining: string[] = [];
  const cluster = new Cluster(seeds.nodes, {
    enableAutoPipelining: true,
    autoPipeliningIgnoredCommands: noAutoPipelining,
    clusterRetryStrategy: retryStrategy,
    // A failover takes a few seconds; commands wait for the new master instead of failing.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    redisOptions: { maxRetriesPerRequest: 3, ...seeds.redisOptions },
  });
  // ioredis groups auto-pipelined commands by the slot of their first argument. A script
  // defined without numberOfKeys has its key count there, so calls on different slots
  // land in one pipeline and fail ("All keys in the pipeline should belong to the same
  // slots allocation group"). Such scripts are sent on their own; they batch their keys anyway.
  const defineCommand = cluster.defineCommand.bind(cluster);
  cluster.defineCommand = (name, definition) => {
    if (definition.numberOfKeys === undefined) noAutoPipelining.push(name);
    defineCommand(name, definition);
  };
  return cluster as unknown as Redis;
}

/**
 * The seed nodes when `url` lists two or more (`redis://h1:6379,redis://h2:6379` or
 * `redis://h1:6379,h2:6379`), else undefined (a single server). Credentials and TLS come
 * from the first entry and apply to every node.
 */
export function redisClusterSeeds(url: string): { nodes: { host: string; port: number }[]; redisOptions: RedisOptions } | undefined {
  const parts = url.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length < 2) return undefined;
  const first = new URL(parts[0] as string);
  const nodes = parts.map((part) => {
    const u = new URL(/^[a-z]+:\/\//i.test(part) ? part : `${first.protocol}//${part}`);
    return { host: u.hostname, port: Number(u.port || 6379) };
  });
  const redisOptions: RedisOptions = {};
  if (first.username) redisOptions.username = decodeURIComponent(first.username);
  if (first.password) redisOptions.password = decodeURIComponent(first.password);
  if (first.protocol === 'rediss:') redisOptions.tls = {};
  return { nodes, redisOptions };
}

/** Resolves when the client is ready, or rejects with a message naming the URL (without credentials). */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable at ${safeUrl(url)} after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A URL fit for a log line: credentials removed. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, '//');
}
