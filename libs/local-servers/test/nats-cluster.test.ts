import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsCluster, waitFor, type LocalNatsCluster } from '../src/index.ts';

describe('startNatsCluster', () => {
  let cluster: LocalNatsCluster | undefined;
  let nc: NatsConnection | undefined;
  afterAll(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('keeps an R3 stream writable after one node stops', { timeout: 45_000 }, async () => {
    cluster = await startNatsCluster({ size: 3 });
    expect(cluster.urls).toHaveLength(3);

    nc = await connect({ servers: cluster.urls, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'VISITS', subjects: ['visits.>'], num_replicas: 3 });
    const js = jetstream(nc, { timeout: 2000 });
    await js.publish('visits.1', 'before');

    // Stop the stream leader, the worst case: publishing must wait for a new election.
    const leader = (await jsm.streams.info('VISITS')).cluster?.leader;
    expect(cluster.serverNames).toContain(leader);
    const victim = cluster.servers[cluster.serverNames.indexOf(leader ?? '')];
    await victim?.stop();
    expect(victim).toBeDefined();

    const ack = await waitFor(() => js.publish('visits.2', 'after'), {
      timeoutMs: 20_000,
      intervalMs: 250,
      message: 'a publish to the R3 stream after one node stopped',
    });
    expect(ack.seq).toBe(2);
  });
});
