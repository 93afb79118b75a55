import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port.ts';
import { ServerStartError, type LocalServer } from './managed-server.ts';
import { startNatsServer } from './nats-server.ts';
import { waitFor } from './wait-for.ts';

/** Options of {@link startNatsCluster}. */
export interface NatsClusterStartOptions {
  /** Number of nodes (default 3). */
  size?: number;
  /** How long to wait for the JetStream meta leader (default 20 s). */
  readyTimeoutMs?: number;
}

/** A running local NATS cluster with JetStream. */
export interface LocalNatsCluster {
  /** Client URLs of all nodes, in node order. */
  readonly urls: string[];
  /** The nodes; each can be stopped, killed or restarted on its own. */
  readonly servers: LocalServer[];
  /** JetStream server names of the nodes, in node order (stream info names its leader so). */
  readonly serverNames: string[];
  /** Stops all nodes and removes their temp store dirs. */
  stop(): Promise<void>;
}

// Ready means what callers need: a stream with one replica per node can be created.
async function canCreateReplicatedStream(urls: string[], replicas: number): Promise<boolean> {
  const nc = await connect({ servers: urls, timeout: 2000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2000 });
    const name = `LOCAL_SERVERS_PROBE_${randomBytes(4).toString('hex')}`;
    await jsm.streams.add({ name, subjects: [`_local_servers.probe.${name}`], num_replicas: replicas, storage: 'memory' });
    await jsm.streams.delete(name);
    return true;
  } finally {
    await nc.close().catch(() => undefined);
  }
}

async function startOnce(size: number, readyTimeoutMs: number): Promise<LocalNatsCluster> {
  const clusterName = `local_${randomBytes(4).toString('hex')}`;
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  // Sequential so the kernel cannot hand out the same port twice.
  for (let i = 0; i < size * 2; i++) (i < size ? clientPorts : routePorts).push(await freePort());
  const routes = routePorts.map((port) => `nats://127.0.0.1:${port}`);

  const serverNames = clientPorts.map((_port, i) => `${clusterName}_n${i + 1}`);
  const started = await Promise.allSettled(
    clientPorts.map((port, i) =>
      startNatsServer({
        port,
        serverName: serverNames[i],
        cluster: { name: clusterName, port: routePorts[i] ?? 0, routes },
      }),
    ),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }

  const urls = servers.map((server) => server.url);
  try {
    await waitFor(() => canCreateReplicatedStream(urls, size), {
      timeoutMs: readyTimeoutMs,
      intervalMs: 250,
      message: `a JetStream meta leader in the ${size}-node NATS cluster ${clusterName}`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, servers, serverNames, stop };
}

/**
 * Starts `size` nats-servers on 127.0.0.1 with routes between them and JetStream on each
 * (own temp store dir, own server name). Resolves once a stream with `size` replicas can
 * be created, i.e. a meta leader exists and knows every node.
 */
export async function startNatsCluster(options: NatsClusterStartOptions = {}): Promise<LocalNatsCluster> {
  const size = options.size ?? 3;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(size, readyTimeoutMs);
    } catch (error) {
      // A port taken between freePort() and the server's bind: try again with new ones.
      if (attempt >= 3 || !(error instanceof ServerStartError && error.portInUse)) throw error;
    }
  }
}
