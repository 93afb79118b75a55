import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Figure } from '../lib/types.ts';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
// Written to a temp dir so the smoke test never overwrites a real bench/results.json.
const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

/** Every figure `npm run bench` reports; the alarm figure may be "skipped" until the alarms service works. */
const EXPECTED = ['matching-5k', 'ingest-rate', 'move-to-map-latency', 'memory-per-nurse', 'order-to-offer-latency', 'grab-storm-latency', 'alarm-latency', 'console-map-500'];

// Checks that every benchmark runs end to end on tiny sizes (BENCH_SMOKE=1) and writes
// valid results and a report, not how fast anything is: speed on a shared CI runner
// says nothing. Needs the shared Redis and NATS, like the integration tests; starts
// gateway and dispatch child processes of its own.
describe('npm run bench (smoke)', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  let figures: Figure[] = [];
  let stderr = '';

  it('runs every benchmark and writes results.json', () => {
    const run = spawnSync('npx', ['tsx', 'bench/run.ts', '--quick', '--out', outDir], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_NURSES: '5000', BENCH_QUERIES: '200' },
      encoding: 'utf8',
      timeout: 170_000,
    });
    stderr = run.stderr;
    expect(run.status, run.stderr.slice(-4000)).toBe(0);
    figures = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Figure[];
    expect(figures.map((f) => f.name).sort()).toEqual([...EXPECTED].sort());
  }, 180_000);

  it('gives every measured figure a value, a baseline from the same run, a ratio, a target and a verdict', () => {
    for (const f of figures) {
      expect(typeof f.pass, f.name).toBe('boolean');
      expect(Number.isFinite(f.target), `${f.name} target`).toBe(true);
      expect(f.baselineName, f.name).toBeTruthy();
      if (f.skipped) {
        expect(f.name).toBe('alarm-latency');
        expect(f.skipped).toMatch(/alarms service not available/);
        expect(f.pass).toBe(false);
        continue;
      }
      // Memory growth of a few hundred sockets is within allocator noise: it may be zero or
      // negative, and a zero baseline leaves no ratio (null). The full run judges memory.
      const noisy = f.name === 'memory-per-nurse';
      for (const key of ['value', 'baseline', 'ratio'] as const) {
        if (noisy && key === 'ratio' && f.ratio === null) continue;
        expect(Number.isFinite(f[key]), `${f.name} ${key}: ${f[key]}`).toBe(true);
        if (!noisy) expect(f[key], `${f.name} ${key}`).toBeGreaterThan(0);
      }
      if (f.ratio !== null || !noisy) expect(f.ratio).toBeCloseTo(f.value / f.baseline, 6);
    }
  });

  it('keeps the correctness checks: no matching misses, one grab winner, every order offered', () => {
    const byName = new Map(figures.map((f) => [f.name, f]));
    const matching = byName.get('matching-5k')!;
    expect(matching.details.misses).toBe(0);
    expect(matching.details.verifiedQueries).toBeGreaterThan(0);
    const grab = byName.get('grab-storm-latency')!;
    expect(grab.details.failedChecks, JSON.stringify(grab.details)).toBeUndefined();
    const order = byName.get('order-to-offer-latency')!;
    expect(order.details.ordersWithoutOffer).toBe(0);
    expect(byName.get('ingest-rate')!.details.stored).toBeGreaterThan(0);
    // The ack floor ran against its own bare server, not the gateway.
    expect(byName.get('ingest-rate')!.details.ackFloorPerSecond).toBeGreaterThan(0);
    expect(stderr).toMatch(/ingest: ack floor: .* acks\/s/);
    expect(byName.get('move-to-map-latency')!.details.latency?.ours.samples).toBeGreaterThan(0);
    // The latency-by-load curve: every phase says how busy the whole machine was.
    expect(byName.get('move-to-map-latency')!.details.quarterLoadMachineBusy).toBeGreaterThan(0);
    expect(stderr).toMatch(/move-to-map: quarter load: p99 [\d.]+ ms \((\d+ ms|n\/a), gateway side\) at [\d,]+ stored\/s, machine \d+% busy, gateway [\d.]+ cores \([\d.]+ µs per fix\)/);
    // CPU per fix with the maps fed: what says how many cores the gateway would need at the target.
    // (At smoke size the gateway may use under 0.01 cores, which rounds to 0.)
    expect(byName.get('move-to-map-latency')!.details.gatewayMicrosecondsPerUpdate).toBeGreaterThanOrEqual(0);
    expect(byName.get('move-to-map-latency')!.details.gatewayCoresAtTarget).toBeGreaterThanOrEqual(0);
    expect(byName.get('move-to-map-latency')!.details.gatewayAgeP99Ms).toBeGreaterThan(0);
    expect(stderr).toMatch(/ingest: .* stored\/s/);
  });

  it('writes one self-contained report.html with the figures, charts and no external resources', () => {
    expect(existsSync(join(outDir, 'report.html'))).toBe(true);
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    for (const name of EXPECTED) expect(html).toContain(name);
    expect(html).toContain('<svg');
    expect(html).toContain('data-chart="histogram:');
    expect(html).toContain('data-chart="series:');
    // uPlot and the data are inline: nothing is fetched, the file works offline.
    expect(html).toMatch(/uPlot/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    const data = /<script type="application\/json" id="bench-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(data ?? 'null').figures).toHaveLength(EXPECTED.length);
  });
});
