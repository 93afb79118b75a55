import { readFileSync } from 'node:fs';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, type LocalServer } from '../src/index.ts';

describe('startNatsServer', () => {
  const servers: LocalServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('keeps JetStream file-storage messages across a restart', async () => {
    const server = await startNatsServer();
    servers.push(server);

    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], storage: 'file' });
    await jetstream(nc).publish('orders.1', 'first visit');
    await nc.close();

    await server.restart();

    const again = await connect({ servers: server.url });
    const stored = await (await jetstreamManager(again)).streams.getMessage('ORDERS', { seq: 1 });
    expect(stored?.string()).toBe('first visit');
    await again.close();
  });

  it('runs without JetStream when asked and logs to a file, not our stdout', async () => {
    const server = await startNatsServer({ jetstream: false });
    servers.push(server);
    const nc = await connect({ servers: server.url });
    await expect(jetstreamManager(nc, { timeout: 1000 })).rejects.toThrow();
    await nc.close();
    expect(readFileSync(server.logFile, 'utf8')).toMatch(/Server is ready/);
  });
});
