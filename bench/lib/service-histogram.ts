import { scrapeMetrics } from './scrape-metrics.ts';

/**
 * One histogram of a service child over a window, from its /metrics: buckets are
 * cumulative since the process started, so a scrape at the start opens the window and
 * the difference at the end is what happened inside it.
 */
export interface HistogramWindow {
  count: number;
  /** The q-quantile in ms, interpolated inside its bucket as Prometheus' histogram_quantile does; null without samples. */
  quantileMs(q: number): number | null;
}

type Buckets = Map<number, number>;

async function scrape(port: number, name: string): Promise<Buckets> {
  const text = await scrapeMetrics(port);
  const bucket = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="([^"]+)"[^}]*\\} (\\S+)$`);
  const out: Buckets = new Map();
  for (const line of text.split('\n')) {
    const m = bucket.exec(line);
    if (m) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  }
  return out;
}

export function quantileOf(buckets: Buckets, q: number): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const upper of bounds) {
    const cumulative = buckets.get(upper)!;
    if (cumulative >= rank) {
      // Beyond the last finite bound only its lower edge is known.
      if (upper === Infinity) return lower * 1000;
      const inBucket = cumulative - below;
      return (lower + (upper - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
    }
    lower = upper;
    below = cumulative;
  }
  return null;
}

export async function serviceHistogram(port: number, name: string): Promise<() => Promise<HistogramWindow>> {
  const start = await scrape(port, name);
  return async () => {
    const end = await scrape(port, name);
    const window: Buckets = new Map([...end].map(([le, v]) => [le, v - (start.get(le) ?? 0)]));
    return { count: window.get(Infinity) ?? 0, quantileMs: (q) => quantileOf(window, q) };
  };
}
