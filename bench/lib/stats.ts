import type { LatencySummary } from './types.ts';

/** Milliseconds since `start`, from process.hrtime.bigint(). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Nearest-rank percentile of an ascending array (hdr-histogram-js is not installed). */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Log-spaced edges covering both samples: latencies here span three decades
 * (tens of microseconds in process, tens of milliseconds in Redis), which a
 * linear axis would squash into one bar.
 */
export function logEdges(samplesMs: readonly number[], binsPerDecade = 8): number[] {
  const positive = samplesMs.filter((v) => v > 0);
  if (positive.length === 0) return [0.001, 0.01];
  const lo = Math.floor(Math.log10(Math.min(...positive)) * binsPerDecade);
  const hi = Math.ceil(Math.log10(Math.max(...positive)) * binsPerDecade) + 1;
  const edges: number[] = [];
  for (let i = lo; i <= hi; i++) edges.push(10 ** (i / binsPerDecade));
  return edges;
}

export function summarize(samplesMs: readonly number[], edgesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const counts = new Array<number>(Math.max(0, edgesMs.length - 1)).fill(0);
  for (const v of sorted) {
    // First bin whose upper edge exceeds v; values at/below the lowest edge go in bin 0.
    let i = 0;
    while (i < counts.length - 1 && v >= edgesMs[i + 1]!) i++;
    counts[i]!++;
  }
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: sorted.length,
    meanMs: sorted.length ? sum / sorted.length : NaN,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? NaN,
    histogram: { edgesMs: [...edgesMs], counts },
  };
}

/** mulberry32: a seeded generator, so every run (and both sides of a comparison) sees the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
