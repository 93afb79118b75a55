/**
 * Fires `fire(i)` `ratePerSec` times a second for `durationMs`, evenly spaced and
 * without waiting for earlier calls (an open-loop load: a slow server does not slow
 * the arrivals down, so its queueing shows in the latencies). Resolves when every
 * call has settled; `late` counts ticks the event loop ran behind by more than 50 ms.
 */
export async function openLoop(ratePerSec: number, durationMs: number, fire: (i: number) => Promise<unknown>): Promise<{ fired: number; failed: number; lateTicks: number }> {
  const total = Math.round((ratePerSec * durationMs) / 1000);
  const calls: Promise<unknown>[] = [];
  let failed = 0;
  let lateTicks = 0;
  const t0 = performance.now();
  let last = t0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - last > 50) lateTicks++;
      last = now;
      const due = Math.min(total, Math.floor(((now - t0) / 1000) * ratePerSec));
      while (calls.length < due) calls.push(fire(calls.length).catch(() => void failed++));
      if (calls.length >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  await Promise.all(calls);
  return { fired: calls.length, failed, lateTicks };
}
