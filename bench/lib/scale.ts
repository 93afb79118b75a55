import type { BenchOptions } from './types.ts';

/**
 * How big a run is: `full` (the real figures, ~10 min for everything), `quick` (the
 * same benchmarks scaled down, under 2 min) and `smoke` (BENCH_SMOKE=1: tiny, for the
 * CI test that only checks the plumbing; its numbers mean nothing).
 */
export type Scale = 'full' | 'quick' | 'smoke';

export function scaleOf(options: BenchOptions): Scale {
  if (process.env['BENCH_SMOKE'] === '1') return 'smoke';
  return options.quick ? 'quick' : 'full';
}

export function byScale<T>(options: BenchOptions, sizes: Record<Scale, T>): T {
  return sizes[scaleOf(options)];
}
