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
 * Figures:
 * - matching-50k, matching-500k: dispatch's matching query ("the nearest 50 nurses
 *   within 10 km who may take this PICC order") as queries per second, one at a time.
 *   Ours is the in-process H3 NearestIndex with the real eligibility rules as its
 *   filter; the baseline is a bare Redis GEOSEARCH BYRADIUS 10 km ASC COUNT 50 over the
 *   same points, which does not even check eligibility (so it flatters Redis). Targets:
 *   20x at 50k nurses, 100x at 500k. A figure also fails if the index misses any nurse
 *   that brute force finds on a sample of queries (details.misses must be 0).
 *   --quick runs 50k only with fewer queries; BENCH_NURSES=5000,20000 and
 *   BENCH_QUERIES=200 override the sizes (the smoke test uses tiny ones).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { matchingBenchmark } from './matching.bench.ts';
import { runPendingCleanups } from './lib/cleanup.ts';
import { fmt, renderReport } from './lib/report-html.ts';
import type { Benchmark, Figure } from './lib/types.ts';

const BENCHMARKS: readonly Benchmark[] = [matchingBenchmark];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const outDir = resolve(values.out ?? process.env.BENCH_OUT_DIR ?? dirname(fileURLToPath(import.meta.url)));
const selected = values.only ? BENCHMARKS.filter((b) => b.name === values.only) : BENCHMARKS;
if (selected.length === 0) {
  console.error(`unknown benchmark "${values.only}"; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

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
    ...figures.map((f) => [f.name, fmt(f.value), fmt(f.baseline), f.unit, `${fmt(f.ratio)}x`, `${fmt(f.target)}x`, f.pass ? 'PASS' : 'FAIL']),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const figures: Figure[] = [];
let crashed = false;
for (const bench of selected) {
  progress(`${bench.name}: ${bench.title}${values.quick ? ' (quick)' : ''}`);
  try {
    figures.push(...(await bench.run({ quick: values.quick, progress })));
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
    header: 'Higher is better; bars compare our throughput with the baseline, histograms show per-query latency.',
  }),
);
progress(`wrote ${join(outDir, 'results.json')} and report.html`);
console.log(`\n${summaryTable(figures)}`);
process.exitCode = crashed ? 1 : 0;
