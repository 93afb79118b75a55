import * as hdr from 'hdr-histogram-js';

/** Latencies of one kind of operation, in ms (HdrHistogram, microsecond resolution). */
export function createLatency(name: string) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let errors = 0;
  return {
    name,
    record(ms: number): void {
      histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    },
    error(): void {
      errors++;
    },
    /** Times `work`, counting a throw as an error (rethrown). */
    async time<T>(work: () => Promise<T>): Promise<T> {
      const t = performance.now();
      try {
        const out = await work();
        this.record(performance.now() - t);
        return out;
      } catch (err) {
        errors++;
        throw err;
      }
    },
    summary(seconds: number): LatencySummary {
      const pct = (p: number) => histogram.getValueAtPercentile(p) / 1000;
      return { name, count: histogram.totalCount, errors, ratePerS: histogram.totalCount / seconds, p50Ms: pct(50), p99Ms: pct(99), maxMs: histogram.maxValue / 1000 };
    },
  };
}

export type Latency = ReturnType<typeof createLatency>;

export interface LatencySummary {
  name: string;
  count: number;
  errors: number;
  ratePerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function formatSummary(s: LatencySummary): string {
  return `${s.name.padEnd(28)} ${String(s.count).padStart(7)} ok  ${s.ratePerS.toFixed(1).padStart(8)}/s  p50 ${s.p50Ms.toFixed(1).padStart(7)} ms  p99 ${s.p99Ms.toFixed(1).padStart(7)} ms  max ${s.maxMs.toFixed(1).padStart(7)} ms  errors ${s.errors}`;
}
