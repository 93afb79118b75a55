import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { findBinary } from './find-binary.ts';
import { freePort } from './free-port.ts';
import { jetStreamAnswers } from './jetstream-probe.ts';
import { retryOnPortClash, startManagedServer, type LocalServer } from './managed-server.ts';
import { missingBinaryMessage } from './missing-binary.ts';
import { readNatsInfo } from './nats-info.ts';
import { makeTempDir, removeTempDir } from './temp-dir.ts';

/** Route settings of one node of a NATS cluster. */
export interface NatsClusterOptions {
  /** Cluster name, the same on every node. */
  name: string;
  /** Port this node listens on for routes (127.0.0.1). */
  port: number;
  /** Route URLs of all nodes, e.g. nats://127.0.0.1:6222; a node skips its own. */
  routes: readonly string[];
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** Client port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** JetStream store dir, also holding the log; a temp dir removed on stop() when omitted. */
  storeDir?: string;
  /** Enable JetStream with file storage in storeDir (default true). */
  jetstream?: boolean;
  /** Join a cluster. The server then resolves once its client port answers: JetStream needs a quorum first. */
  cluster?: NatsClusterOptions;
  /** Server name (unique per cluster); a random one when omitted. */
  serverName?: string;
  /** More command-line arguments, appended last. */
  extraArgs?: readonly string[];
  /** How long to wait for readiness (default 15 s). */
  readyTimeoutMs?: number;
}

function natsArgs(port: number, storeDir: string, serverName: string, options: NatsServerOptions): string[] {
  const args = ['--addr', '127.0.0.1', '--port', String(port), '--server_name', serverName];
  if (options.jetstream ?? true) args.push('--jetstream', '--store_dir', storeDir);
  if (options.cluster) {
    const { name, port: clusterPort, routes } = options.cluster;
    args.push('--cluster_name', name, '--cluster', `nats://127.0.0.1:${clusterPort}`);
    if (routes.length > 0) args.push('--routes', routes.join(','));
  }
  return [...args, ...(options.extraArgs ?? [])];
}

/**
 * Starts a private nats-server on 127.0.0.1. Resolves once its client port answers as
 * this very server and, with JetStream outside a cluster, once JetStream answers too.
 * Its output goes to `nats-server.log` in the store dir.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<LocalServer> {
  const binary = findBinary('nats-server');
  if (binary === undefined) throw new Error(missingBinaryMessage('nats-server'));
  const serverName = options.serverName ?? `local_${randomBytes(4).toString('hex')}`;
  const waitForJetStream = (options.jetstream ?? true) && options.cluster === undefined;
  const start = async (): Promise<LocalServer> => {
    const port = options.port ?? (await freePort());
    const ownsDataDir = options.storeDir === undefined;
    const dataDir = options.storeDir === undefined ? makeTempDir(`nats-${port}`) : resolve(options.storeDir);
    const url = `nats://127.0.0.1:${port}`;
    // The server name in the INFO greeting proves the port is held by our process.
    const isReady = async (): Promise<boolean> => {
      try {
        if ((await readNatsInfo(port)).server_name !== serverName) return false;
      } catch {
        return false;
      }
      return waitForJetStream ? jetStreamAnswers(url, 1000) : true;
    };
    try {
      return await startManagedServer({
        label: 'nats-server',
        binary,
        args: natsArgs(port, dataDir, serverName, options),
        url,
        port,
        dataDir,
        ownsDataDir,
        logFile: join(dataDir, 'nats-server.log'),
        isReady,
        readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
        stopTimeoutMs: 10_000,
      });
    } catch (error) {
      if (ownsDataDir) removeTempDir(dataDir);
      throw error;
    }
  };
  return options.port === undefined ? retryOnPortClash(start) : start();
}
