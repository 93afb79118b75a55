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

// Checks that the benchmark runs end to end on tiny sizes, not how fast it is:
// speed on a shared CI runner says nothing. Needs the shared Redis, like the
// integration tests.
describe('npm run bench (smoke)', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs the matching benchmark and writes results.json and report.html', () => {
    const run = spawnSync('npx', ['tsx', 'bench/run.ts', '--quick', '--only', 'matching', '--out', outDir], {
      cwd: repoRoot,
      env: { ...process.env, BENCH_NURSES: '5000', BENCH_QUERIES: '200' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);

    const figures = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Figure[];
    const matching = figures.find((f) => f.name.startsWith('matching-'));
    expect(matching, JSON.stringify(figures)).toBeDefined();
    for (const key of ['value', 'baseline', 'ratio', 'target'] as const) {
      expect(Number.isFinite(matching![key]), key).toBe(true);
    }
    expect(matching!.value).toBeGreaterThan(0);
    expect(matching!.baseline).toBeGreaterThan(0);
    expect(typeof matching!.pass).toBe('boolean');
    expect(matching!.details.misses).toBe(0);
    expect(matching!.details.verifiedQueries).toBeGreaterThan(0);

    expect(existsSync(join(outDir, 'report.html'))).toBe(true);
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
  }, 60_000);
});
