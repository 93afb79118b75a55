import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom } from '../lib/stats.ts';
import { openBenchInfra, type BenchInfra } from '../lib/bench-infra.ts';
import { startService, type ServiceChild } from '../lib/children/start-service.ts';
import { connectFleet } from '../lib/connect-fleet.ts';
import { cpuMeter, microsecondsPer } from '../lib/cpu-usage.ts';
import { serviceLoopLag } from '../lib/service-loop-lag.ts';
import { serviceHistogram, type HistogramWindow } from '../lib/service-histogram.ts';
import { latencyFigure } from '../lib/figures.ts';
import { FLEET_BOX, INSTITUTIONS } from '../lib/fleet-box.ts';
import { createLatencyRecorder, type LatencyRecorder } from '../lib/latency-recorder.ts';
import { createFixTracker, type FixTracker } from './fix-tracker.ts';
import { createMapViewers, type MapViewers } from '../lib/map-viewers.ts';
import { fleetNurses, type NurseFleet } from '../lib/nurse-fleet.ts';
import { byScale } from '../lib/scale.ts';
import { seedNurseProfiles } from '../lib/seed-profiles.ts';
import { int, sleep, tickProgress } from '../lib/ticker.ts';
import type { Benchmark, BenchOptions, Figure, TimeSeries } from '../lib/types.ts';
import type { BBox } from '@nursing/geo';

const TARGET_P99_MS = 250;
const TARGET_INGEST_PER_S = 50_000;

/** Gateway CPU per stored fix in a phase, maps included. */
const microsPerFix = (p: { cores: { serviceCores: number }; ingestPerS: number }): number => microsecondsPer(p.cores.serviceCores, p.ingestPerS);

const pct = (share: number): string => `${Math.round(share * 100)}%`;
const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);

const SIZES = {
  full: { nurses: 4_200, ratePerNurse: 12, viewers: 100, measuring: 10, marked: 100, quiet: 50, warmupS: 5, measureS: 15, halfS: 8, quietS: 5, graceS: 3 },
  quick: { nurses: 3_500, ratePerNurse: 15, viewers: 100, measuring: 10, marked: 100, quiet: 50, warmupS: 2, measureS: 4, halfS: 3, quietS: 2, graceS: 2 },
  smoke: { nurses: 100, ratePerNurse: 5, viewers: 4, measuring: 2, marked: 10, quiet: 10, warmupS: 1, measureS: 2, halfS: 1, quietS: 1, graceS: 1 },
};
/** Marked nurses and measuring maps belong to this institution, so the maps see them by id. */
const MARKED_INSTITUTION = INSTITUTIONS[0]!;
/** The fleet's box as a 3 x 3 grid: a district of ~9 x 11 km, what a community centre's coordinator watches. */
const GRID = 3;
const DISTRICTS = GRID * GRID;

function district(box: BBox, k: number): BBox {
  const w = (box.east - box.west) / GRID;
  const h = (box.north - box.south) / GRID;
  const col = k % GRID;
  const row = Math.floor(k / GRID);
  return { west: box.west + col * w, south: box.south + row * h, east: box.west + (col + 1) * w, north: box.south + (row + 1) * h };
}
type Size = (typeof SIZES)['full'];

interface Phase {
  recorder: LatencyRecorder;
  fixes: { delivered: number; undelivered: number; tracked: number; marked: number };
  ingestPerS: number;
  deliveredPerS: number;
  bytesPerS: number;
  series: TimeSeries[];
  cores: Awaited<ReturnType<Awaited<ReturnType<typeof cpuMeter>>>>;
  /** p99 event-loop delay of this (the generator's and maps') process during the measurement. */
  benchLoopLagP99Ms: number;
  gatewayLoopLagP99Ms: number | null;
  /** The gateway's own hn_map_position_age_seconds over the window: fix age when its frame was built, before the socket and this process. */
  gatewayAge: HistogramWindow;
  fleetStats: ReturnType<NurseFleet['stats']>;
}

/**
 * One phase: `count` nurses walking at `rate`; after a warm-up, the fixes of marked
 * nurses (every tenth, of the measuring maps' institution) are followed to each
 * measuring map.
 */
async function runPhase(
  label: string,
  input: { infra: BenchInfra; gateway: ServiceChild; viewers: MapViewers; count: number; rate: number; warmupS: number; measureS: number; graceS: number; marked: number; measuring: number; prefix: string; say: (l: string) => void },
): Promise<Phase> {
  const { infra, gateway, viewers, say, prefix } = input;
  // fleetNurses gives institutions round-robin: indices 0, 10, 20, ... are MARKED_INSTITUTION's.
  const marked = Array.from({ length: Math.min(input.marked, Math.ceil(input.count / INSTITUTIONS.length)) }, (_, k) => `${prefix}${k * INSTITUTIONS.length}`);
  // Created when the measured window opens; sends before that are not followed.
  let tracker: FixTracker | undefined;
  const onSent = (i: number, atMs: number) => {
    if (i % INSTITUTIONS.length === 0) tracker?.onSent(`${prefix}${i}`, atMs);
  };
  const { fleet } = await connectFleet({ infra, gateway, count: input.count, random: seededRandom(input.count), say, prefix, onSent });
  try {
    const { acked } = fleet.start(input.rate, 4);
    say(`${label}: ${int(input.count * input.rate)} fixes/s offered, ${input.warmupS} s warm-up, following ${marked.length} marked nurses`);
    await sleep(input.warmupS * 1000);
    const startMs = Date.now();
    const recorder = createLatencyRecorder(startMs);
    const t = createFixTracker({ markedIds: marked, viewers: input.measuring, recorder });
    tracker = t;
    t.start(startMs);
    const { delivered, bytes } = viewers.measure((viewer, nurses, arrivedMs) => {
      for (const p of nurses) if (t.isMarked(p.nurseId)) t.onSeen(viewer, p.nurseId, p.atMs, arrivedMs);
    }, startMs);
    const cpu = await cpuMeter(infra.redis, gateway.pid);
    // The maps and the nurses live in this process: if its own loop lags, so does every latency it records.
    const ownLag = monitorEventLoopDelay({ resolution: 10 });
    ownLag.enable();
    const gatewayLag = await serviceLoopLag(gateway.port);
    const gatewayAge = await serviceHistogram(gateway.port, 'hn_map_position_age_seconds');
    const stop = tickProgress(say, () => `${label}: ${int(acked.lastSecond())} stored/s, ${int(delivered.lastSecond())} positions/s to measuring maps, ${recorder.count ? `p99 so far ${recorder.percentileMs(99).toFixed(0)} ms over ${int(recorder.count)} fixes delivered` : 'no marked fix on a map yet'}`);
    await sleep(input.measureS * 1000 + 50);
    t.stop();
    const cores = await cpu();
    ownLag.disable();
    const gatewayLoopLagP99Ms = await gatewayLag();
    const gatewayAgeWindow = await gatewayAge();
    fleet.stop();
    // Fixes already sent may still be on their way.
    await sleep(input.graceS * 1000);
    stop();
    viewers.measure(undefined);
    const fixes = { ...t.finish(Date.now()), marked: marked.length };
    const measuredFrom = input.warmupS;
    const seconds = input.warmupS + input.measureS;
    return {
      recorder,
      fixes,
      ingestPerS: acked.rate(measuredFrom, seconds),
      deliveredPerS: delivered.rate(0, input.measureS),
      bytesPerS: bytes.rate(0, input.measureS),
      cores,
      benchLoopLagP99Ms: ownLag.percentile(99) / 1e6,
      gatewayLoopLagP99Ms,
      gatewayAge: gatewayAgeWindow,
      fleetStats: fleet.stats(),
      series: [
        recorder.perSecond(`${label}: move-to-map latency of marked nurses' fixes, by the second they were sent`),
        {
          title: `${label}: updates stored and delivered per second`,
          unit: 'per second',
          t: Array.from({ length: input.measureS }, (_, s) => s + 1),
          lines: [
            { name: 'stored (acked to nurses)', values: acked.values(seconds).slice(measuredFrom) },
            { name: 'positions delivered to measuring maps', values: delivered.values(input.measureS) },
          ],
        },
      ],
    };
  } finally {
    fleet.close();
  }
}

function phaseSummary(p: Phase): string {
  return `p99 ${p.recorder.percentileMs(99).toFixed(1)} ms (${ms(p.gatewayAge.quantileMs(0.99))}, gateway side) at ${int(p.ingestPerS)} stored/s, machine ${pct(p.cores.machineBusy)} busy, gateway ${p.cores.serviceCores} cores (${microsPerFix(p)} µs per fix)`;
}

async function run(options: BenchOptions): Promise<Figure[]> {
  const size: Size = byScale(options, SIZES);
  const say = (line: string) => options.progress(`move-to-map: ${line}`);
  const infra = await openBenchInfra();
  let gateway: ServiceChild | undefined;
  let viewers: MapViewers | undefined;
  try {
    const random = seededRandom(250);
    // Profiles, so the gateway can tell which institution each nurse belongs to (own nurses by id, others anonymised).
    await seedNurseProfiles(infra.redis, infra.keys, [...fleetNurses(size.nurses, FLEET_BOX, INSTITUTIONS, random, 'n'), ...fleetNurses(size.quiet, FLEET_BOX, INSTITUTIONS, random, 'q'),
      ...fleetNurses(Math.ceil(size.nurses / 4), FLEET_BOX, INSTITUTIONS, random, 'k'),
      ...fleetNurses(Math.ceil(size.nurses / 2), FLEET_BOX, INSTITUTIONS, random, 'h'),
    ]);
    gateway = await startService(infra, ['gateway']);
    say(`gateway pid ${gateway.pid} on port ${gateway.port}`);
    viewers = createMapViewers({
      host: '127.0.0.1',
      port: gateway.port,
      count: size.viewers,
      measuring: size.measuring,
      institutions: INSTITUTIONS,
      measuringInstitution: MARKED_INSTITUTION,
      sign: infra.sign,
      viewport: FLEET_BOX,
      // The measuring maps watch the whole city (the worst case); the others a district each, as coordinators do.
      viewportOf: (i) => (i < size.measuring ? FLEET_BOX : district(FLEET_BOX, i % DISTRICTS)),
    });
    await viewers.connect();
    say(`${size.viewers} coordinator maps: ${size.measuring} measuring ones on the whole fleet, the others on one of ${DISTRICTS} districts`);

    const common = { infra, gateway, viewers, rate: size.ratePerNurse, marked: size.marked, measuring: size.measuring, graceS: size.graceS, say };
    const quiet = await runPhase('quiet', { ...common, count: size.quiet, warmupS: 1, measureS: size.quietS, prefix: 'q' });
    say(`quiet: p99 ${quiet.recorder.percentileMs(99).toFixed(1)} ms`);
    // A quarter and half the target load: separates what the pipeline costs from queueing at
    // saturation, and shows where the knee is (with how busy the whole machine was).
    const quarter = await runPhase('quarter load', { ...common, count: Math.ceil(size.nurses / 4), warmupS: size.warmupS, measureS: size.halfS, prefix: 'k' });
    say(`quarter load: ${phaseSummary(quarter)}`);
    const half = await runPhase('half load', { ...common, count: Math.ceil(size.nurses / 2), warmupS: size.warmupS, measureS: size.halfS, prefix: 'h' });
    say(`half load: ${phaseSummary(half)}`);
    const loaded = await runPhase('loaded', { ...common, count: size.nurses, warmupS: size.warmupS, measureS: size.measureS, prefix: 'n' });
    say(`loaded: ${phaseSummary(loaded)}`);
    const viewerStats = viewers.stats();
    const curve = [
      { name: 'quiet', phase: quiet },
      { name: 'quarter', phase: quarter },
      { name: 'half', phase: half },
      { name: 'target', phase: loaded },
    ];

    return [
      latencyFigure({
        name: 'move-to-map-latency',
        ours: loaded.recorder,
        baseline: quiet.recorder,
        baselineName: `same pipeline, quiet (${size.quiet} nurses)`,
        targetMs: TARGET_P99_MS,
        checks: {
          [`ingest at the target load (>= ${int(0.95 * TARGET_INGEST_PER_S)}/s)`]: loaded.ingestPerS >= 0.95 * TARGET_INGEST_PER_S,
          'no map socket closed': viewerStats.closed === 0,
          'marked fixes reached the maps': loaded.fixes.delivered > 0,
        },
        details: {
          nurses: size.nurses,
          offeredPerSecond: size.nurses * size.ratePerNurse,
          storedPerSecond: loaded.ingestPerS,
          viewers: size.viewers,
          measuringViewers: size.measuring,
          positionsPerSecondPerMeasuringViewer: loaded.deliveredPerS / Math.max(1, size.measuring),
          bytesPerSecondToAllViewers: loaded.bytesPerS,
          markedNurses: loaded.fixes.marked,
          markedFixesFollowed: loaded.fixes.tracked,
          markedFixDeliveries: loaded.fixes.delivered,
          markedFixDeliveriesMissing: loaded.fixes.undelivered,
          quietMarkedFixDeliveriesMissing: quiet.fixes.undelivered,
          positionsFrames: viewerStats.positionsFrames,
          viewerSocketsClosed: viewerStats.closed,
          quietStoredPerSecond: quiet.ingestPerS,
          halfLoadP50Ms: half.recorder.percentileMs(50),
          halfLoadP99Ms: half.recorder.percentileMs(99),
          halfLoadStoredPerSecond: half.ingestPerS,
          halfLoadGatewayLoopLagP99Ms: half.gatewayLoopLagP99Ms,
          halfLoadGatewayCores: half.cores.serviceCores,
          halfLoadMachineBusy: half.cores.machineBusy,
          quarterLoadP99Ms: quarter.recorder.percentileMs(99),
          quarterLoadStoredPerSecond: quarter.ingestPerS,
          quarterLoadGatewayLoopLagP99Ms: quarter.gatewayLoopLagP99Ms,
          quarterLoadMachineBusy: quarter.cores.machineBusy,
          machineBusy: loaded.cores.machineBusy,
          gatewayAgeP99Ms: loaded.gatewayAge.quantileMs(0.99),
          halfLoadGatewayAgeP99Ms: half.gatewayAge.quantileMs(0.99),
          quarterLoadGatewayAgeP99Ms: quarter.gatewayAge.quantileMs(0.99),
          quietGatewayAgeP99Ms: quiet.gatewayAge.quantileMs(0.99),
          gatewayCores: loaded.cores.serviceCores,
          gatewayMicrosecondsPerUpdate: microsPerFix(loaded),
          halfLoadGatewayMicrosecondsPerUpdate: microsPerFix(half),
          quarterLoadGatewayMicrosecondsPerUpdate: microsPerFix(quarter),
          gatewayCoresAtTarget: Math.round(Math.min(microsPerFix(half), microsPerFix(loaded)) * TARGET_INGEST_PER_S * 1e-4) / 100,
          generatorCores: loaded.cores.generatorCores,
          redisCores: loaded.cores.redisCores,
          otherCores: loaded.cores.otherCores,
          generatorLoopLagP99Ms: loaded.benchLoopLagP99Ms,
          gatewayLoopLagP99Ms: loaded.gatewayLoopLagP99Ms,
          fleetErrors: JSON.stringify(loaded.fleetStats.errors),
          series: [
            {
              title: 'Latency by load: p50 and p99 of each phase, and how busy the whole machine was',
              unit: 'ms; machine busy in %',
              xLabel: 'fixes stored per second',
              t: curve.map((c) => Math.round(c.phase.ingestPerS)),
              lines: [
                { name: 'p50 (ms)', values: curve.map((c) => c.phase.recorder.percentileMs(50)) },
                { name: 'p99 (ms)', values: curve.map((c) => c.phase.recorder.percentileMs(99)) },
                { name: "p99 age in the gateway when the frame is built (ms)", values: curve.map((c) => c.phase.gatewayAge.quantileMs(0.99)) },
                { name: 'machine busy (% of all cores)', values: curve.map((c) => Math.round(c.phase.cores.machineBusy * 100)) },
              ],
            },
            ...loaded.series,
            ...half.series.slice(0, 1),
            ...quarter.series.slice(0, 1),
            ...quiet.series.slice(0, 1),
          ],
          notes: [
            `Latency of a fix = when a measuring map first receives a position of that nurse at least as new, minus when the nurse sent the fix (its atMs is the send time; generator and maps share this process's clock). Followed: every fix of ${size.marked} marked nurses, on each of ${size.measuring} measuring maps (coordinators of the marked nurses' institution), sent during the measured window.`,
            `A fix still not on a map ${size.graceS} s after the window is recorded at how long it had waited by then (a lower bound) and counted in markedFixDeliveriesMissing, so a map that stops receiving shows up as huge latency rather than as missing samples.`,
            'Maps coalesce: each map gets, every MAP_FLUSH_MS (100 ms by default), the latest fix of each nurse that moved, so up to one flush interval of the latency is by design; the quiet baseline shows that floor.',
            `The other maps are coordinators of ${INSTITUTIONS.length} institutions round-robin: each sees its own nurses by id and the others anonymised, as in production. The measuring maps watch the whole fleet (every fix of the city, the worst case); the other ${size.viewers - size.measuring} watch one of ${DISTRICTS} districts (a 3 x 3 grid over the fleet's ~28 x 33 km), as a community centre's coordinator does.`,
            'Why not every map on the whole city: 100 maps each receiving ~28k positions/s (~270 MB/s in all) saturate the benchmark process that reads them (it also generates the 50k fixes/s) before the gateway, so the figure measured the harness; and no browser map draws 28k positions/s (the console benchmark draws 10k/s).',
            "gatewayAgeP99Ms (and the per-phase ones) come from the gateway's own hn_map_position_age_seconds histogram: how old a fix is when the frame carrying it is built, one fix in four, interpolated inside its bucket. The difference to the end-to-end p99 is the frame's way out (socket, kernel) and this process reading it.",
            'Baseline: the same gateway, maps and pipeline with only a few nurses moving, measured first in the same run. It answers "how much of the latency is the load".',
            'Then phases at a quarter and half the target load (fewer nurses, same rate each): they say what the pipeline costs below saturation; the loaded figure adds queueing at saturation (compare the gateway loop lag of the phases). machineBusy is the share of all the machine\'s cores that was busy (gateway, this generator, Redis, NATS): near 1, every process also waits for a CPU, so the latency then measures the machine as much as the gateway.',
            `gatewayMicrosecondsPerUpdate (and the per-phase ones): the gateway's CPU per stored fix with the maps fed (its cores / stored per second). gatewayCoresAtTarget = the lower of the half-load and loaded figures x ${int(TARGET_INGEST_PER_S)}/s: what the gateway would need at the target on this machine. One gateway process runs its JavaScript on one thread, so above about 0.8 of a core its queues, and the latency, grow whatever the rest of the machine does.`,
            `Passing also needs the stored rate to reach ${int(0.95 * TARGET_INGEST_PER_S)}/s: the target is latency at that load.`,
          ],
        },
      }),
    ];
  } finally {
    viewers?.close();
    await gateway?.stop();
    await infra.close();
  }
}

export const moveToMapBenchmark: Benchmark = {
  name: 'move-to-map',
  title: 'Move-to-map latency: nurse fix -> gateway -> NATS -> 100 coordinator maps, under ingest load',
  run,
};
