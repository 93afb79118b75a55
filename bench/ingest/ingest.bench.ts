import { seededRandom } from '../lib/stats.ts';
import { openBenchInfra, type BenchInfra } from '../lib/bench-infra.ts';
import { startBareWsServer, startService, type ServiceChild } from '../lib/children/start-service.ts';
import { connectFleet } from '../lib/connect-fleet.ts';
import { cpuMeter, microsecondsPer } from '../lib/cpu-usage.ts';
import { FLEET_BOX } from '../lib/fleet-box.ts';
import type { NurseFleet } from '../lib/nurse-fleet.ts';
import { byScale } from '../lib/scale.ts';
import { int, sleep, tickProgress } from '../lib/ticker.ts';
import type { Benchmark, BenchOptions, Figure } from '../lib/types.ts';
import { pipelinedGeoadd } from './redis-geoadd-baseline.ts';

const TARGET_PER_S = 50_000;

const SIZES = {
  // 60k/s offered: more than the target, so a gateway that can do 50k shows it.
  full: { nurses: 5_000, ratePerNurse: 12, maxInFlight: 4, warmupS: 5, measureS: 20, floorMeasureS: 10 },
  quick: { nurses: 3_500, ratePerNurse: 15, maxInFlight: 4, warmupS: 2, measureS: 5, floorMeasureS: 5 },
  smoke: { nurses: 100, ratePerNurse: 5, maxInFlight: 4, warmupS: 1, measureS: 2, floorMeasureS: 1 },
};
type IngestSize = (typeof SIZES)['full'];

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
  try {
    const gateway = await startService(infra, ['gateway']);
    const gatewayFdLimit = gateway.ready.fdLimit;
    say(`gateway pid ${gateway.pid} on port ${gateway.port} (open-files limit ${gatewayFdLimit})`);
    const oursRun = await driveFleet({ infra, server: gateway, size, random, say, measureS: size.measureS });
    const { sent, acked, stats, cores } = oursRun;
    const ours = oursRun.rate;
    const oursUpdates = Math.round(ours * size.measureS);
    say(`gateway stored ${int(ours)} updates/s (cores used: gateway ${cores.serviceCores}, generator ${cores.generatorCores}, Redis ${cores.redisCores}, everything else ${cores.otherCores})`);

    // The floor on this machine: the same fleet against a ws server that only acks.
    const floorServer = await startBareWsServer({ ack: true });
    say(`ack floor: a bare ws server that acks every fix, pid ${floorServer.pid}`);
    const floor = await driveFleet({ infra, server: floorServer, size, random: seededRandom(50_000), say: (line) => say(`ack floor: ${line}`), measureS: size.floorMeasureS });
    say(`ack floor: ${int(floor.rate)} acks/s (cores used: server ${floor.cores.serviceCores}, generator ${floor.cores.generatorCores})`);

    say(`baseline: ${int(oursUpdates)} pipelined GEOADDs from Node`);
    const base = await pipelinedGeoadd({ redisUrl: infra.redisUrl, key: `${infra.ns}:bench:geo`, updates: Math.max(oursUpdates, 10_000), nurses: size.nurses, box: FLEET_BOX, random });
    say(`baseline: ${int(base.perSecond)} GEOADD/s`);

    const window = { from: size.warmupS, to: size.warmupS + size.measureS };
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
          ackFloorPerSecond: Math.round(floor.rate),
          ratioToAckFloor: Math.round((ours / floor.rate) * 1000) / 1000,
          ackFloorServerCores: floor.cores.serviceCores,
          ackFloorGeneratorCores: floor.cores.generatorCores,
          ackFloorMeasuredSeconds: size.floorMeasureS,
          gatewayMicrosecondsPerUpdate: microsecondsPer(cores.serviceCores, ours),
          ackFloorMicrosecondsPerUpdate: microsecondsPer(floor.cores.serviceCores, floor.rate),
          nurses: size.nurses,
          offeredPerSecond: size.nurses * size.ratePerNurse,
          ratePerNurse: size.ratePerNurse,
          maxInFlightPerNurse: size.maxInFlight,
          warmupSeconds: size.warmupS,
          measuredSeconds: size.measureS,
          connectSeconds: oursRun.connectMs / 1000,
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
                { name: 'ack floor: bare ws server', values: Array.from({ length: seconds }, () => Math.round(floor.rate)) },
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
            `Ack floor (details.ackFloorPerSecond): the same fleet against a bare ws server in its own process that parses each frame and acks it at once (measured over ${size.floorMeasureS} s after the same warm-up). It is the socket work any ws server pays per fix on this machine (a read, a parse, an ack write), with the generator sharing the same cores; no server that acks every fix over ws does better here. ratioToAckFloor is ours over it. Microseconds per update = service CPU seconds / updates.`,
          ],
        },
      },
    ];
  } finally {
    await infra.close();
  }
}

/**
 * Connects the fleet to `server`, offers the load, and measures the acknowledged rate
 * over the steady window and the cores each process used; closes the fleet and stops
 * the server whatever happens.
 */
async function driveFleet(input: { infra: BenchInfra; server: ServiceChild; size: IngestSize; random: () => number; say: (line: string) => void; measureS: number }) {
  const { infra, server, size, say } = input;
  let fleet: NurseFleet | undefined;
  try {
    const connected = await connectFleet({ infra, gateway: server, count: size.nurses, random: input.random, say });
    fleet = connected.fleet;
    const offered = size.nurses * size.ratePerNurse;
    say(`offering ${int(offered)} fixes/s (${size.ratePerNurse}/s from each nurse, at most ${size.maxInFlight} unacknowledged): ${size.warmupS} s warm-up, ${input.measureS} s measured`);
    const { sent, acked } = fleet.start(size.ratePerNurse, size.maxInFlight);
    const f = fleet;
    const stopTicker = tickProgress(say, () => {
      const s = f.stats();
      return `${int(sent.lastSecond())} sent/s, ${int(acked.lastSecond())} stored/s, ${int(s.inFlight)} in flight, ${int(s.throttled)} held back, errors ${JSON.stringify(s.errors)}`;
    });
    await sleep(size.warmupS * 1000);
    const cpu = await cpuMeter(infra.redis, server.pid);
    await sleep(input.measureS * 1000 + 50);
    const cores = await cpu();
    fleet.stop();
    stopTicker();
    const rate = acked.rate(size.warmupS, size.warmupS + input.measureS);
    await fleet.drain();
    const stats = fleet.stats();
    return { rate, sent, acked, stats, cores, connectMs: connected.connectMs };
  } finally {
    fleet?.close();
    await server.stop();
  }
}

export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  title: 'Location ingest: nurse sockets -> one gateway -> Redis + NATS, vs pipelined GEOADD',
  run,
};
