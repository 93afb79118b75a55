import type { TimeSeries } from './types.ts';

/**
 * Counts events per second since `startMs`, for throughput over time and for a rate
 * over a steady window (warm-up excluded).
 */
export function createRateMeter(startMs = Date.now()) {
  const perSecond: number[] = [];
  let total = 0;
  return {
    add(n = 1, atMs = Date.now()): void {
      const s = Math.max(0, Math.floor((atMs - startMs) / 1000));
      perSecond[s] = (perSecond[s] ?? 0) + n;
      total += n;
    },
    get total(): number {
      return total;
    },
    /** Events per second over whole seconds [fromS, toS). */
    rate(fromS: number, toS: number): number {
      let sum = 0;
      for (let s = fromS; s < toS; s++) sum += perSecond[s] ?? 0;
      return toS > fromS ? sum / (toS - fromS) : NaN;
    },
    /** Events in the second before `atMs` (the progress line's "now" figure). */
    lastSecond(atMs = Date.now()): number {
      const s = Math.floor((atMs - startMs) / 1000) - 1;
      return s >= 0 ? (perSecond[s] ?? 0) : 0;
    },
    values(seconds: number): number[] {
      return Array.from({ length: seconds }, (_, s) => perSecond[s] ?? 0);
    },
  };
}

export type RateMeter = ReturnType<typeof createRateMeter>;

/** Several meters over the same seconds as one chart. */
export function rateSeries(title: string, unit: string, seconds: number, lines: { name: string; meter: RateMeter }[]): TimeSeries {
  return {
    title,
    unit,
    t: Array.from({ length: seconds }, (_, s) => s + 1),
    lines: lines.map((l) => ({ name: l.name, values: l.meter.values(seconds) })),
  };
}
