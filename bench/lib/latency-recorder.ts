import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary, TimeSeries } from './types.ts';

/**
 * Report bins: 8 per decade from 1 µs to 100 s, one grid for every recorder, so two
 * recorders' bars line up in a chart without re-binning.
 */
const BINS_PER_DECADE = 8;
const LOWEST_BIN = -3 * BINS_PER_DECADE;
const HIGHEST_BIN = 5 * BINS_PER_DECADE;
const edgeMs = (bin: number) => 10 ** (bin / BINS_PER_DECADE);

// hdr-histogram works in integers: microseconds, up to an hour.
const US_PER_MS = 1000;
const hdr = (digits: 2 | 3): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: digits });

/**
 * Latency samples in milliseconds: exact-enough percentiles from hdr-histogram (3
 * significant digits), fixed log bins for the report's histogram, and one coarser
 * histogram per second of the run for "p99 over time". Constant memory however many
 * samples arrive, so a recorder can take every update of a 50k/s stream.
 */
export function createLatencyRecorder(startMs = Date.now()) {
  const all = hdr(3);
  const bins = new Float64Array(HIGHEST_BIN - LOWEST_BIN);
  const seconds: Histogram[] = [];

  return {
    /** One sample; `atMs` (when it was observed) files it under its second. */
    record(ms: number, atMs = Date.now()): void {
      const v = ms > 0 ? ms : 0;
      const us = Math.round(v * US_PER_MS);
      all.recordValue(us);
      const bin = v > 0 ? Math.floor(Math.log10(v) * BINS_PER_DECADE) : LOWEST_BIN;
      bins[Math.min(HIGHEST_BIN - 1, Math.max(LOWEST_BIN, bin)) - LOWEST_BIN]!++;
      const s = Math.max(0, Math.floor((atMs - startMs) / 1000));
      (seconds[s] ??= hdr(2)).recordValue(us);
    },
    get count(): number {
      return all.totalCount;
    },
    percentileMs(p: number): number {
      return all.totalCount ? all.getValueAtPercentile(p) / US_PER_MS : NaN;
    },
    /** Percentiles over everything recorded; the histogram covers only the occupied bins. */
    summary(): LatencySummary {
      return summaryOf(all, bins, occupied(bins));
    },
    /** Bins as counts, for {@link summarizePair}. */
    bins(): Float64Array {
      return bins;
    },
    hdr(): Histogram {
      return all;
    },
    /** p50 and p99 for each second since `startMs` (null where nothing was recorded). */
    perSecond(title: string): TimeSeries {
      // Seconds with no sample are holes in the array: Array.from visits them (map would skip them).
      const t = Array.from({ length: seconds.length }, (_, i) => i + 1);
      const at = (p: number) => Array.from(seconds, (h) => (h && h.totalCount ? h.getValueAtPercentile(p) / US_PER_MS : null));
      return { title, unit: 'ms', t, lines: [{ name: 'p50', values: at(50) }, { name: 'p99', values: at(99) }] };
    },
  };
}

export type LatencyRecorder = ReturnType<typeof createLatencyRecorder>;

/** Both sides of a figure over the same bins (the union of what either occupied). */
export function summarizePair(ours: LatencyRecorder, baseline: LatencyRecorder): { ours: LatencySummary; baseline: LatencySummary } {
  const a = occupied(ours.bins());
  const b = occupied(baseline.bins());
  const range = { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
  return { ours: summaryOf(ours.hdr(), ours.bins(), range), baseline: summaryOf(baseline.hdr(), baseline.bins(), range) };
}

function occupied(bins: Float64Array): { from: number; to: number } {
  let from = bins.length;
  let to = 0;
  for (let i = 0; i < bins.length; i++) {
    if (bins[i]! > 0) {
      from = Math.min(from, i);
      to = i + 1;
    }
  }
  return from < to ? { from, to } : { from: 0, to: 0 };
}

function summaryOf(h: Histogram, bins: Float64Array, range: { from: number; to: number }): LatencySummary {
  const n = h.totalCount;
  const ms = (us: number) => (n ? us / US_PER_MS : NaN);
  const edgesMs: number[] = [];
  for (let i = range.from; i <= range.to && range.to > range.from; i++) edgesMs.push(edgeMs(i + LOWEST_BIN));
  return {
    samples: n,
    meanMs: ms(h.mean),
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    maxMs: ms(h.maxValue),
    histogram: { edgesMs, counts: Array.from(bins.subarray(range.from, range.to)) },
  };
}
