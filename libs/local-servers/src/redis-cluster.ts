import { findBinary } from './find-binary.ts';
import type { LocalServer } from './managed-server.ts';
import { missingBinaryMessage } from './missing-binary.ts';
import { redisCommand } from './redis-command.ts';
import { startRedisServer } from './redis-server.ts';
import { runCommand } from './run-command.ts';
import { waitFor } from './wait-for.ts';

/** Options of {@link startRedisCluster}. */
export interface RedisClusterStartOptions {
  /** Number of master nodes, at least 3 as redis-cli requires (default 3). */
  masters?: number;
  /** How long to wait for cluster_state:ok on every node (default 20 s). */
  readyTimeoutMs?: number;
}

/** A running local Redis Cluster without replicas. */
export interface LocalRedisCluster {
  /** Seed nodes for an ioredis `Cluster` client. */
  readonly nodes: { host: string; port: number }[];
  /** The node processes, in the order of `nodes`. */
  readonly servers: LocalServer[];
  /** Stops all nodes and removes their temp data dirs. */
  stop(): Promise<void>;
}

async function clusterStateOk(port: number): Promise<boolean> {
  const info = await redisCommand(port, ['CLUSTER', 'INFO']);
  return typeof info === 'string' && info.includes('cluster_state:ok');
}

/**
 * Starts cluster-enabled redis-servers on free ports, joins them with
 * `redis-cli --cluster create`, and resolves once every node reports cluster_state:ok.
 */
export async function startRedisCluster(options: RedisClusterStartOptions = {}): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const redisCli = findBinary('redis-cli');
  if (redisCli === undefined) throw new Error(missingBinaryMessage('redis-cli'));

  const started = await Promise.allSettled(
    Array.from({ length: masters }, () => startRedisServer({ clusterEnabled: true })),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await runCommand(redisCli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], 30_000);
    await waitFor(async () => (await Promise.all(servers.map((server) => clusterStateOk(server.port)))).every(Boolean), {
      timeoutMs: options.readyTimeoutMs ?? 20_000,
      intervalMs: 100,
      message: `cluster_state:ok on all ${masters} Redis Cluster nodes`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), servers, stop };
}
