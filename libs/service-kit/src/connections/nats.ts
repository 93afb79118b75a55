import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@nursing/logging';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';

export type { NatsConnection } from '@nats-io/transport-node';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** Client status events worth counting (pings and cluster updates are routine). */
const COUNTED_STATUS: Partial<Record<string, string>> = {
  disconnect: 'disconnect',
  reconnect: 'reconnect',
  error: 'error',
  staleConnection: 'stale_connection',
  ldm: 'ldm',
  slowConsumer: 'slow_consumer',
};

/**
 * Connects to NATS (a comma-separated list of servers for a cluster) and reconnects
 * forever: a dispatch or alarm service must come back when NATS does.
 */
export async function connectNats(urls: string, log: Logger, name: string, metrics?: ServiceMetrics): Promise<Bus> {
  const servers = urls.split(',').map((s) => s.trim()).filter(Boolean);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: false });
  } catch (err) {
    throw new Error(`NATS not reachable at ${servers.join(', ')}: ${(err as Error).message}`, { cause: err });
  }
  const events = metrics?.counter('natsConnectionEvents');
  void (async () => {
    for await (const s of nc.status()) {
      const event = COUNTED_STATUS[s.type];
      if (event) events?.inc({ event });
      if (s.type === 'disconnect' || s.type === 'error') log.warn({ nats: s.type }, 'nats connection problem');
      else if (s.type === 'reconnect') log.info({ nats: s.type }, 'nats connection restored');
    }
  })();
  const jsm = await jetstreamManager(nc);
  return { nc, js: jetstream(nc), jsm };
}
