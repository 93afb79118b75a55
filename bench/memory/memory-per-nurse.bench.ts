import { fileURLToPath } from 'node:url';
import { openBenchInfra } from '../lib/bench-infra.ts';
import { startChild, type ChildHandle } from '../lib/children/spawn-child.ts';
import { startBareWsServer, startService } from '../lib/children/start-service.ts';
import { byScale } from '../lib/scale.ts';
import type { Benchmark, BenchOptions, Figure } from '../lib/types.ts';
import { measureGrowth, type Growth } from './memory-growth.ts';

const TARGET_KB = 16;
const CLIENTS = fileURLToPath(new URL('./idle-nurses-child.ts', import.meta.url));
const SIZES = {
  full: { sockets: 10_000, warm: 200, steps: 5 },
  quick: { sockets: 2_000, warm: 100, steps: 4 },
  smoke: { sockets: 200, warm: 20, steps: 2 },
};

const round = (v: number) => Math.round(v * 100) / 100;
const readingsText = (g: Growth) => g.readings.map((r) => `${r.sockets}: ${r.rssMB.toFixed(1)} MB`).join(', ');

/**
 * Target 3: a connected, idle nurse costs the gateway at most 16 KB. The gateway, the
 * clients and the bare-ws baseline each run in their own process, so an RSS reading
 * is one server's memory only. Both servers get the same clients doing the same thing.
 */
async function run(options: BenchOptions): Promise<Figure[]> {
  const size = byScale(options, SIZES);
  const say = (line: string) => options.progress(`memory: ${line}`);
  const infra = await openBenchInfra();
  const children: ChildHandle[] = [];
  try {
    // Started together: starting costs seconds, idling costs nothing, and memory is read per process.
    const [gw, bare, clients] = await Promise.all([
      startService(infra, ['gateway']),
      startBareWsServer(),
      startChild({ name: 'idle-nurses', script: CLIENTS, env: { BENCH_JWT_SECRET: infra.jwtSecret } }),
    ]);
    children.push(gw, bare, clients);
    const common = { clients, sockets: size.sockets, warm: size.warm, steps: size.steps, say };
    // The gateway acks each status once it is stored, and the clients wait for the acks.
    const ours = await measureGrowth({ ...common, server: gw, target: { path: '/ws/nurse', authenticate: true }, serverSaw: async () => true });
    await gw.stop();
    const base = await measureGrowth({
      ...common,
      server: bare,
      target: { path: '/', authenticate: false },
      serverSaw: async (total) => (await bare.request<{ messages: number }>('stats')).messages >= total,
    });
    say(`gateway ${ours.rssKBPerSocket.toFixed(2)} KB RSS per socket (heap ${ours.heapKBPerSocket.toFixed(2)}); bare ws ${base.rssKBPerSocket.toFixed(2)} KB (heap ${base.heapKBPerSocket.toFixed(2)})`);

    const x = ours.readings.map((r) => r.sockets);
    return [
      {
        name: 'memory-per-nurse',
        value: ours.rssKBPerSocket,
        unit: 'KB RSS per socket',
        baseline: base.rssKBPerSocket,
        baselineName: 'bare ws server',
        ratio: ours.rssKBPerSocket / base.rssKBPerSocket,
        target: TARGET_KB,
        targetKind: 'value',
        better: 'lower',
        pass: ours.rssKBPerSocket <= TARGET_KB && ours.closed === 0,
        details: {
          sockets: size.sockets,
          warmUpSockets: size.warm,
          readings: size.steps + 1,
          heapKBPerSocket: round(ours.heapKBPerSocket),
          baselineHeapKBPerSocket: round(base.heapKBPerSocket),
          gatewayRss: readingsText(ours),
          baselineRss: readingsText(base),
          connectSeconds: round(ours.connectMs / 1000),
          socketsClosed: ours.closed,
          serverOpenFilesLimit: ours.serverFdLimit,
          clientOpenFilesLimit: ours.clientFdLimit,
          series: [
            {
              title: 'Server memory as idle nurse sockets are added (after GC)',
              unit: 'MB',
              xLabel: 'sockets beyond the warm-up',
              t: x,
              lines: [
                { name: 'gateway RSS', values: ours.readings.map((r) => round(r.rssMB)) },
                { name: 'gateway heap', values: ours.readings.map((r) => round(r.heapMB)) },
                { name: 'baseline: bare ws RSS', values: base.readings.map((r) => round(r.rssMB)) },
                { name: 'baseline: bare ws heap', values: base.readings.map((r) => round(r.heapMB)) },
              ],
            },
          ],
          notes: [
            `Per socket = the least-squares slope of memory against open sockets over ${size.steps + 1} readings (before the first batch and after each of ${size.steps}), each taken after three full garbage collections, with ${size.warm} warm-up sockets open before the first so one-off costs are not counted.`,
            'Each gateway socket is an authenticated nurse that sent a status frame (stored in Redis and acknowledged): her socket, its NATS inbox subscription, heartbeat and offline-sweep entries. The bare ws server keeps only the socket and counts messages.',
            'Four processes: the gateway, the bare server, the clients and this benchmark. Each raises its open-files limit to the hard limit; the limits seen are in the details.',
            'RSS is what the kernel charges the process; heap is the V8 part of it. RSS also moves with allocator behaviour, so a KB or two either way between runs is noise (more so in --quick, with fewer sockets).',
          ],
        },
      },
    ];
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await infra.close();
  }
}

export const memoryBenchmark: Benchmark = {
  name: 'memory',
  title: 'Memory per connected nurse: gateway vs a bare ws server',
  run,
};
