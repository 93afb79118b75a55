import { scrapeMetrics } from './scrape-metrics.ts';

/**
 * The p99 event-loop delay of a service child over a window, from its /metrics:
 * prom-client resets its delay histogram at every scrape, so a scrape at the start
 * opens the window and one at the end reads it.
 */
export async function serviceLoopLag(port: number): Promise<() => Promise<number | null>> {
  const read = async (): Promise<number | null> => {
    const text = await scrapeMetrics(port);
    const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_p99_seconds'));
    const value = line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
    return Number.isFinite(value) ? value * 1000 : null;
  };
  await read();
  return read;
}
