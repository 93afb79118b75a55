import { waitFor } from '@nursing/testing';
import type { MemorySnapshot } from '../lib/children/child-ipc.ts';
import type { ChildHandle } from '../lib/children/spawn-child.ts';
import type { ServiceChild } from '../lib/children/start-service.ts';
import { int, sleep } from '../lib/ticker.ts';
import type { OpenRequest } from './idle-nurses-child.ts';

export interface Growth {
  /** Least-squares slope of memory against open sockets, KB per socket. */
  rssKBPerSocket: number;
  heapKBPerSocket: number;
  /** One reading per step: sockets open beyond the warm-up, RSS and heap in MB. */
  readings: { sockets: number; rssMB: number; heapMB: number }[];
  connectMs: number;
  closed: number;
  serverFdLimit: number | null;
  clientFdLimit: number | null;
}

/** Slope of y against x by least squares: one noisy reading moves it far less than a two-point difference. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const MB = 2 ** 20;

/**
 * Opens `warm` sockets first (one-off costs: JIT, pools, first subscriptions), then
 * `sockets` more in `steps` equal batches, reading the server's memory (after full
 * collections) before the first batch and after each, once the server has handled
 * every new socket's status frame. The per-socket cost is the slope over the readings.
 */
export async function measureGrowth(input: {
  server: ServiceChild;
  clients: ChildHandle;
  target: Omit<OpenRequest, 'count' | 'port'>;
  sockets: number;
  warm: number;
  steps: number;
  /** Resolves true once the server has handled `total` sockets' status frames. */
  serverSaw: (total: number) => Promise<boolean>;
  say: (l: string) => void;
}): Promise<Growth> {
  const { server, clients, say } = input;
  const open = (count: number) => clients.request<{ open: number; closed: number; connectMs: number }>('open', { ...input.target, port: server.port, count } satisfies OpenRequest, 300_000);
  const read = async (sockets: number) => {
    await sleep(200);
    const m = await server.request<MemorySnapshot>('memory');
    return { sockets, rssMB: m.rss / MB, heapMB: m.heapUsed / MB };
  };
  try {
    await open(input.warm);
    const readings = [await read(0)];
    let connectMs = 0;
    let closed = 0;
    const batch = Math.ceil(input.sockets / input.steps);
    for (let done = 0; done < input.sockets; ) {
      const count = Math.min(batch, input.sockets - done);
      const opened = await open(count);
      done += count;
      connectMs += opened.connectMs;
      closed = opened.closed;
      const total = input.warm + done;
      await waitFor(() => input.serverSaw(total), { timeoutMs: 60_000, intervalMs: 200, message: `${server.name} handled ${total} status frames` });
      readings.push(await read(done));
      const last = readings.at(-1)!;
      say(`${server.name}: ${int(done)} sockets beyond the warm-up: RSS ${last.rssMB.toFixed(1)} MB, heap ${last.heapMB.toFixed(1)} MB`);
    }
    const perSocket = (key: 'rssMB' | 'heapMB') => slope(readings.map((r) => ({ x: r.sockets, y: r[key] }))) * 1024;
    return {
      rssKBPerSocket: perSocket('rssMB'),
      heapKBPerSocket: perSocket('heapMB'),
      readings,
      connectMs,
      closed,
      serverFdLimit: server.ready.fdLimit,
      clientFdLimit: clients.ready.fdLimit,
    };
  } finally {
    await clients.request('closeAll').catch(() => undefined);
  }
}
