import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { findBinary } from './find-binary.ts';
import { freePort } from './free-port.ts';
import { retryOnPortClash, startManagedServer, type LocalServer } from './managed-server.ts';
import { missingBinaryMessage } from './missing-binary.ts';
import { redisCommand } from './redis-command.ts';
import { makeTempDir, removeTempDir } from './temp-dir.ts';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Data directory (AOF, RDB, nodes.conf, log); a temp dir removed on stop() when omitted. */
  dataDir?: string;
  /** Persist every write to an AOF (fsync always, so kill -9 loses nothing acknowledged). */
  appendOnly?: boolean;
  /** Start as a Redis Cluster node (see startRedisCluster). */
  clusterEnabled?: boolean;
  /** More `--option value` arguments; later options override ours. */
  extraArgs?: readonly string[];
  /** How long to wait for PING to answer (default 15 s). */
  readyTimeoutMs?: number;
}

// Ready means: PONG (not -LOADING while the AOF replays) from *our* process, not from
// some other server that happens to hold the port.
async function isOurRedisReady(port: number, child: ChildProcess): Promise<boolean> {
  try {
    const info = await redisCommand(port, ['INFO', 'server']);
    if (typeof info !== 'string' || !info.includes(`process_id:${child.pid}\r\n`)) return false;
    return (await redisCommand(port, ['PING'])) === 'PONG';
  } catch {
    return false;
  }
}

function redisArgs(port: number, dataDir: string, options: RedisServerOptions): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--dir', dataDir];
  if (options.appendOnly) {
    args.push('--appendonly', 'yes', '--appendfsync', 'always');
  } else {
    args.push('--save', '', '--appendonly', 'no');
  }
  if (options.clusterEnabled) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dataDir, 'nodes.conf'), '--cluster-node-timeout', '5000');
  }
  return [...args, ...(options.extraArgs ?? [])];
}

/**
 * Starts a private redis-server bound to 127.0.0.1 and resolves once it answers PING.
 * Its output goes to `redis-server.log` in the data dir.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<LocalServer> {
  const binary = findBinary('redis-server');
  if (binary === undefined) throw new Error(missingBinaryMessage('redis-server'));
  const start = async (): Promise<LocalServer> => {
    const port = options.port ?? (await freePort());
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir === undefined ? makeTempDir(`redis-${port}`) : resolve(options.dataDir);
    try {
      return await startManagedServer({
        label: 'redis-server',
        binary,
        args: redisArgs(port, dataDir, options),
        url: `redis://127.0.0.1:${port}`,
        port,
        dataDir,
        ownsDataDir,
        logFile: join(dataDir, 'redis-server.log'),
        isReady: (child) => isOurRedisReady(port, child),
        readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
        stopTimeoutMs: 10_000,
      });
    } catch (error) {
      if (ownsDataDir) removeTempDir(dataDir);
      throw error;
    }
  };
  // Only a port we picked ourselves may be swapped for another one.
  return options.port === undefined ? retryOnPortClash(start) : start();
}
