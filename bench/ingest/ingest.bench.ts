import { seededRandom } from '../lib/stats.ts';
import { openBenchInfra } from '../lib/bench-infra.ts';
import { startService, type ServiceChild } from '../lib/children/start-service.ts';
import { connectFleet } from '../lib/connect-fleet.ts';
import { cpuMeter } from '../lib/cpu-usage.ts';
import { FLEET_BOX } from '../lib/fleet-box.ts';
import type { NurseFleet } from '../lib/nurse-fleet.ts';
import { byScale } from '../lib/scale.ts';
import { int, sleep, tickProgress } from '../lib/ticker.ts';
import type { Benchmark, BenchOptions, Figure } from '../lib/types.ts';
import { pipelinedGeoadd } from './redis-geoadd-baseline.ts';

const TARGET_PER_S = 50_000;

const SIZES = {
  // 60k/s offered: more than the target, so a gateway that can do 50k shows it.
  full: { nurses: 5_000, ratePerNurse: 12, maxInFlight: 4, warmupS: 5, measureS: 20 },
  quick: { nurses: 3_500, ratePerNurse: 15, maxInFlight: 4, warmupS: 2, measureS: 5 },
  smoke: { nurses: 100, ratePerNurse: 5, maxInFlight: 4, warmupS: 1, measureS: 2 },
};

/**
 * Target 1: one gateway instance stores >= 50k location updates a second, sent by
 * many nurse sockets. The gateway runs in a child process (its own event loop, as in
 * production); the nurse sockets are generated here. Ours is the rate of acknowledged
 * fixes over the steady window: an ack means validated, stored in Redis (latest +
 * trail, one script per shard per batch) and published on NATS.
 */
async function run(options: BenchOptions): Promise<Figure[]> {
  const size = byScale(options, SIZES);
  const say = (line: string) => options.progress(`ingest: ${line}`);
  const random = seededRandom(50_000);
  const infra = await openBenchInfra();
  let gateway: ServiceChild | undefined;
  let fleet: NurseFleet | undefined;
  try {
    gateway = await startService(infra, ['gateway']);
    const gatewayFdLimit = gateway.ready.fdLimit;
    say(`gateway pid ${gateway.pid} on port ${gateway.port} (open-files limit ${gatewayFdLimit})`);
    const connected = await connectFleet({ infra, gateway, count: size.nurses, random, say });
    fleet = connected.fleet;

    const offered = size.nurses * size.ratePerNurse;
    say(`offering ${int(offered)} fixes/s (${size.ratePerNurse}/s from each nurse, at most ${size.maxInFlight} unacknowledged): ${size.warmupS} s warm-up, ${size.measureS} s measured`);
    const { sent, acked } = fleet.start(size.ratePerNurse, size.maxInFlight);
    const f = fleet;
    const stopTicker = tickProgress(say, () => {
      const s = f.stats();
      return `${int(sent.lastSecond())} sent/s, ${int(acked.lastSecond())} stored/s, ${int(s.inFlight)} in flight, ${int(s.throttled)} held back, errors ${JSON.stringify(s.errors)}`;
    });
    await sleep(size.warmupS * 1000);
    const cpu = await cpuMeter(infra.redis, gateway.pid);
    await sleep(size.measureS * 1000 + 50);
    const cores = await cpu();
    fleet.stop();
    stopTicker();
    const window = { from: size.warmupS, to: size.warmupS + size.measureS };
    const ours = acked.rate(window.from, window.to);
    const oursUpdates = Math.round(ours * size.measureS);
    await fleet.drain();
    const stats = fleet.stats();
    fleet.close();
    fleet = undefined;
    await gateway.stop();
    gateway = undefined;
    say(`gateway stored ${int(ours)} updates/s (cores used: gateway ${cores.serviceCores}, generator ${cores.generatorCores}, Redis ${cores.redisCores}, everything else ${cores.otherCores})`);

    say(`baseline: ${int(oursUpdates)} pipelined GEOADDs from Node`);
    const base = await pipelinedGeoadd({ redisUrl: infra.redisUrl, key: `${infra.ns}:bench:geo`, updates: Math.max(oursUpdates, 10_000), nurses: size.nurses, box: FLEET_BOX, random });
    say(`baseline: ${int(base.perSecond)} GEOADD/s`);

    const seconds = window.to;
    const errorCount = Object.values(stats.errors).reduce((a, b) => a + b, 0);
    return [
      {
        name: 'ingest-rate',
        value: ours,
        unit: 'updates/s',
        baseline: base.perSecond,
        baselineName: 'pipelined GEOADD from Node',
        ratio: ours / base.perSecond,
        target: TARGET_PER_S,
        targetKind: 'value',
        better: 'higher',
        pass: ours >= TARGET_PER_S && errorCount === 0 && stats.closed === 0,
        details: {
          nurses: size.nurses,
          offeredPerSecond: offered,
          ratePerNurse: size.ratePerNurse,
          maxInFlightPerNurse: size.maxInFlight,
          warmupSeconds: size.warmupS,
          measuredSeconds: size.measureS,
          connectSeconds: connected.connectMs / 1000,
          sent: stats.sent,
          stored: stats.acked,
          heldBackByWindow: stats.throttled,
          generatorLaggedSlots: stats.lagged,
          errors: JSON.stringify(stats.errors),
          socketsClosed: stats.closed,
          gatewayCores: cores.serviceCores,
          generatorCores: cores.generatorCores,
          redisCores: cores.redisCores,
          otherCores: cores.otherCores,
          gatewayOpenFilesLimit: gatewayFdLimit,
          baselineUpdates: Math.max(oursUpdates, 10_000),
          series: [
            {
              title: 'Location updates per second',
              unit: 'updates/s',
              t: Array.from({ length: seconds }, (_, s) => s + 1),
              lines: [
                { name: 'sent by nurses', values: sent.values(seconds) },
                { name: 'stored (acked)', values: acked.values(seconds) },
                { name: 'baseline: GEOADD', values: Array.from({ length: seconds }, () => Math.round(base.perSecond)) },
                { name: 'target', values: Array.from({ length: seconds }, () => TARGET_PER_S) },
              ],
            },
          ],
          notes: [
            'The gateway runs in its own process; the nurse sockets are generated in the benchmark process with raw WebSocket frames (masked with a zero key), which costs a fraction of what the ws library costs per frame, so the gateway gets as much of the 2 cores as possible.',
            `Measured over seconds ${window.from}-${window.to} after the nurses started (the first ${size.warmupS} s are warm-up).`,
            'An update counts once the gateway acknowledged it: validated, stored in Redis (latest position and trail, one Lua script per shard per batch) and published on NATS per coarse cell.',
            'Gateway, generator, Redis and NATS share the machine; the cores each used are in the details. Absolute rates are floors; the ratio to the baseline is the portable figure.',
            'Baseline: the same number of updates as one GEOADD each, pipelined 1,000 at a time from one Node client: storage alone, no sockets, no validation, no trail, no fan-out.',
          ],
        },
      },
    ];
  } finally {
    fleet?.close();
    await gateway?.stop();
    await infra.close();
  }
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  title: 'Location ingest: nurse sockets -> one gateway -> Redis + NATS, vs pipelined GEOADD',
  run,
};
