/**
 * `npm run bench [-- --quick] [-- --only <name>] [-- --out <dir>]`
 *
 * Runs each benchmark in turn (progress on stderr, one line per phase), writes
 * `results.json` (one entry per figure: value, baseline, ratio, target, pass, details)
 * and a self-contained `report.html` next to this file (or in --out / BENCH_OUT_DIR),
 * and prints a summary table. The exit code is 0 even when a target is missed: CI
 * only checks that the benchmarks run; the report says whether they met the targets.
 * It is non-zero only when something crashed.
 *
 * Figures (each against a baseline measured in the same run; details in
 * /tmp/helpers/readme-bench.md or the README's benchmark section):
 * - matching-50k, matching-500k: dispatch's matching query ("the nearest 50 nurses
 *   within 10 km who may take this PICC order") as queries per second, one at a time.
 *   Ours is the in-process H3 NearestIndex with the real eligibility rules as its
 *   filter; the baseline is a bare Redis GEOSEARCH BYRADIUS 10 km ASC COUNT 50 over the
 *   same points, which does not even check eligibility (so it flatters Redis). Targets:
 *   20x at 50k nurses, 100x at 500k. A figure also fails if the index misses any nurse
 *   that brute force finds on a sample of queries (details.misses must be 0).
 *   --quick runs 50k only with fewer queries; BENCH_NURSES=5000,20000 and
 *   BENCH_QUERIES=200 override the sizes (the smoke test uses tiny ones).
 * - ingest-rate: location updates/s one gateway stores from nurse sockets (>= 50k/s),
 *   vs pipelined GEOADD from Node.
 * - move-to-map-latency: p99 age of positions reaching 100 coordinator maps at that
 *   load (<= 250 ms), vs the same pipeline quiet.
 * - memory-per-nurse: gateway RSS per idle nurse socket (<= 16 KB), vs a bare ws server.
 * - order-to-offer-latency: p99 from POST /v1/orders (push, 200/s) to the offer on the
 *   nurse's inbox (<= 50 ms), vs GET /healthz at the same rate.
 * - grab-storm-latency: p99 of 1,000 simultaneous grabs of one order, exactly one
 *   winner (<= 100 ms), vs 1,000 concurrent NATS echo requests.
 * - alarm-latency: p99 from a panic frame to every security desk while the gateway
 *   stores >= 20k locations/s (<= 100 ms), vs the same without load; "skipped" while
 *   the alarms service is not available.
 * BENCH_SMOKE=1 shrinks every benchmark but matching to a few seconds (the smoke test).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { matchingBenchmark } from './matching.bench.ts';
import { ingestBenchmark } from './ingest/ingest.bench.ts';
import { moveToMapBenchmark } from './latency/move-to-map.bench.ts';
import { memoryBenchmark } from './memory/memory-per-nurse.bench.ts';
import { orderToOfferBenchmark } from './latency/order-to-offer.bench.ts';
import { grabStormBenchmark } from './latency/grab-storm.bench.ts';
import { alarmBenchmark } from './latency/alarm.bench.ts';
import { consoleMapBenchmark } from './console-map.bench.ts';
import { runPendingCleanups } from './lib/cleanup.ts';
import { fmt, renderReport, targetText, verdict } from './lib/report-html.ts';
import type { Benchmark, Figure } from './lib/types.ts';

const BENCHMARKS: readonly Benchmark[] = [matchingBenchmark, ingestBenchmark, moveToMapBenchmark, memoryBenchmark, orderToOfferBenchmark, grabStormBenchmark, alarmBenchmark, consoleMapBenchmark];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const outDir = resolve(values.out ?? process.env.BENCH_OUT_DIR ?? dirname(fileURLToPath(import.meta.url)));
const wanted = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = wanted?.filter((w) => !BENCHMARKS.some((b) => b.name === w)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark "${unknown.join(', ')}"; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
const loadAverageStart = loadavg();

const started = process.hrtime.bigint();
const progress = (line: string) => {
  const s = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1).padStart(6);
  process.stderr.write(`[${s}s] ${line}\n`);
};

// Ctrl-C must not leave benchmark keys behind on the shared Redis.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void runPendingCleanups().finally(() => process.exit(130));
  });
}

function summaryTable(figures: readonly Figure[]): string {
  const rows = [
    ['figure', 'ours', 'baseline', 'unit', 'ratio', 'target', 'result'],
    ...figures.map((f) => [f.name, fmt(f.value), fmt(f.baseline), f.unit, `${fmt(f.ratio)}x`, targetText(f), verdict(f)]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === 3 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const figures: Figure[] = [];
let crashed = false;
for (const bench of selected) {
  progress(`${bench.name}: ${bench.title}${values.quick ? ' (quick)' : ''}`);
  const benchStarted = performance.now();
  try {
    figures.push(...(await bench.run({ quick: values.quick, progress })));
    progress(`${bench.name}: done in ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
  } catch (err) {
    crashed = true;
    progress(`${bench.name} crashed: ${(err as Error).stack ?? String(err)}`);
  }
}
await runPendingCleanups();

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(figures, null, 2)}\n`);
writeFileSync(
  join(outDir, 'report.html'),
  renderReport(figures, {
    generatedAt: new Date().toISOString(),
    mode: values.quick ? 'Quick' : 'Full',
    node: process.version,
    header: 'Each figure is compared with a baseline measured in the same run; the target says which way is better. Bars compare ours with the baseline, histograms show latency distributions, lines show the run over time.',
    machine: { cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, kernel: `${osType()} ${release()}`, loadAverageStart, loadAverageEnd: loadavg() },
  }),
);
progress(`wrote ${join(outDir, 'results.json')} and report.html`);
console.log(`\n${summaryTable(figures)}`);
process.exitCode = crashed ? 1 : 0;
