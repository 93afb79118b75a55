/**
 * A token bucket: `ratePerSec` sustained with bursts up to `burst`. A phone that
 * reconnects sends its queued fixes at once, hence the burst allowance.
 */
export function createTokenBucket(ratePerSec: number, burst: number, now: () => number) {
  let tokens = burst;
  let last = now();
  return {
    /** Takes one token; false when the client is over its rate. */
    take(): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * ratePerSec);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
