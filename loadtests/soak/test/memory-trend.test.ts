import { describe, expect, it } from 'vitest';
import { judgeFlat, trendOf, type MemorySample } from '../memory-trend.ts';

/** A 30-minute soak read every 10 s: readings sit above a floor (garbage, data in flight), plus a leak of `leakMbPerMin`. */
function soak(leakMbPerMin: number, seed: number): MemorySample[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 180 }, (_, i) => {
    const leak = (leakMbPerMin * i * 10) / 60;
    return {
      t: i * 10,
      rssMb: 320 + random() * 200 + leak,
      ...(i % 6 === 0 ? { liveHeapMb: 130 + random() * random() * 150 + leak, liveRssMb: 300 + random() * 100 + leak } : {}),
      sentPerS: 15_000,
      storedPerS: 15_000,
    };
  });
}

describe('the soak verdict', () => {
  it('fits a slope in MB per minute, skipping readings without the value', () => {
    const samples = [0, 60, 120].map((t) => ({ t, rssMb: 100 + t / 30, sentPerS: 0, storedPerS: 0 }));
    expect(trendOf(samples, (s) => s.rssMb).slopeMbPerMin).toBeCloseTo(2, 6);
    expect(trendOf(samples, (s) => s.liveHeapMb).slopeMbPerMin).toBe(0);
  });

  it('calls noisy but flat memory flat, whatever the noise', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(judgeFlat(soak(0, seed)).status, `seed ${seed}`).toBe('flat');
  });

  it('catches a leak of 3 MB a minute through the noise', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(judgeFlat(soak(3, seed)).status, `seed ${seed}`).toBe('growing');
  });

  it('gives no verdict on a run too short to tell', () => {
    expect(judgeFlat(soak(0, 1).slice(0, 18)).status).toBe('inconclusive');
  });
});
