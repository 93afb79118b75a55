/** One reading of the server under soak. */
export interface MemorySample {
  /** Seconds since the load started. */
  t: number;
  /** Resident set size as the kernel sees it (no collection forced), MB. */
  rssMb: number;
  /**
   * After full collections: what is really retained, MB. Read only every so often
   * (forcing collections on a loaded server stalls it for a while).
   */
  liveRssMb?: number;
  liveHeapMb?: number;
  externalMb?: number;
  /** Location updates acknowledged per second over the last interval. */
  storedPerS: number;
  sentPerS: number;
}

export interface Trend {
  /** Least-squares slope, MB per minute. */
  slopeMbPerMin: number;
  /** Growth the slope implies over the window, MB. */
  growthMb: number;
  windowFromS: number;
  windowToS: number;
}

/** Least-squares slope of the picked value over `t` (seconds), as MB per minute; samples without the value are skipped. */
export function trendOf(all: readonly MemorySample[], pick: (s: MemorySample) => number | undefined): Trend {
  const samples = all.filter((s) => Number.isFinite(pick(s)));
  const value = (s: MemorySample) => pick(s) as number;
  const n = samples.length;
  const from = samples[0]?.t ?? 0;
  const to = samples[n - 1]?.t ?? 0;
  if (n < 2) return { slopeMbPerMin: 0, growthMb: 0, windowFromS: from, windowToS: to };
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mv = samples.reduce((a, s) => a + value(s), 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (value(s) - mv);
    den += (s.t - mt) ** 2;
  }
  const perSecond = den === 0 ? 0 : num / den;
  return { slopeMbPerMin: perSecond * 60, growthMb: perSecond * (to - from), windowFromS: from, windowToS: to };
}

export interface FlatVerdict {
  /** `inconclusive` when the run was too short to tell (fewer than 4 floors after warm-up). */
  status: 'flat' | 'growing' | 'inconclusive';
  /** Slope through the lowest RSS of each bucket: what the verdict is judged on. */
  rssFloor: Trend;
  /** Slope through the lowest retained heap (after full GC) of each bucket. */
  heapFloor: Trend;
  /** Plain least-squares slopes over every reading, for reference (noisy: GC saw-tooth, in-flight buffers). */
  rss: Trend;
  liveHeap: Trend;
  reason: string;
}

/** The lowest reading of each whole `bucketS`-second bucket from the first sample on (a partial last one joins the one before). */
function floors(samples: readonly MemorySample[], pick: (s: MemorySample) => number | undefined, bucketS: number): MemorySample[] {
  const byBucket = new Map<number, MemorySample>();
  const t0 = samples[0]?.t ?? 0;
  const buckets = Math.max(1, Math.floor(((samples[samples.length - 1]?.t ?? 0) - t0) / bucketS));
  for (const s of samples) {
    const v = pick(s);
    if (v === undefined || !Number.isFinite(v)) continue;
    const b = Math.min(Math.floor((s.t - t0) / bucketS), buckets - 1);
    const best = byBucket.get(b);
    if (!best || v < (pick(best) as number)) byBucket.set(b, s);
  }
  return [...byBucket.values()].sort((a, b) => a.t - b.t);
}

/**
 * Memory is flat when, over the last two thirds of the run (the first third is warm-up:
 * JIT, pools, caches filling), the floor of memory does not rise. Under load, single
 * readings swing by a hundred MB (garbage between collections, messages in flight), so
 * the verdict fits a line through the lowest reading of each bucket (~1/8 of the
 * window), which a leak lifts and load noise does not: flat when the RSS floor and the
 * retained-heap floor each rise less than the limits.
 */
export function judgeFlat(samples: readonly MemorySample[], limits = { rssMbPerMin: 2.0, heapMbPerMin: 1.5 }): FlatVerdict {
  const steady = samples.slice(Math.floor(samples.length / 3));
  const spanS = (steady[steady.length - 1]?.t ?? 0) - (steady[0]?.t ?? 0);
  // About 1/8 of the window, but at least 4 readings of a series per bucket (after-GC readings are sparse).
  const bucketFor = (pick: (s: MemorySample) => number | undefined) => {
    const count = steady.filter((s) => Number.isFinite(pick(s))).length;
    return Math.max(60, spanS / 8, count > 1 ? (4 * spanS) / (count - 1) : spanS);
  };
  const rssFloors = floors(steady, (s) => s.rssMb, bucketFor((s) => s.rssMb));
  const heapFloors = floors(steady, (s) => s.liveHeapMb, bucketFor((s) => s.liveHeapMb));
  const rssFloor = trendOf(rssFloors, (s) => s.rssMb);
  const heapFloor = trendOf(heapFloors, (s) => s.liveHeapMb);
  const problems: string[] = [];
  if (rssFloor.slopeMbPerMin > limits.rssMbPerMin) problems.push(`RSS floor rises ${rssFloor.slopeMbPerMin.toFixed(2)} MB/min (limit ${limits.rssMbPerMin})`);
  if (heapFloor.slopeMbPerMin > limits.heapMbPerMin) problems.push(`retained-heap floor rises ${heapFloor.slopeMbPerMin.toFixed(2)} MB/min (limit ${limits.heapMbPerMin})`);
  const tooShort = Math.min(rssFloors.length, heapFloors.length) < 4 ? `; only ${Math.min(rssFloors.length, heapFloors.length)} buckets past warm-up: run 10+ minutes for a verdict` : '';
  return {
    status: tooShort ? 'inconclusive' : problems.length === 0 ? 'flat' : 'growing',
    rssFloor,
    heapFloor,
    rss: trendOf(steady, (s) => s.rssMb),
    liveHeap: trendOf(steady, (s) => s.liveHeapMb),
    reason:
      (problems.length
        ? problems.join('; ')
        : `RSS floor ${rssFloor.slopeMbPerMin.toFixed(3)} MB/min, retained-heap floor ${heapFloor.slopeMbPerMin.toFixed(3)} MB/min over ${spanS.toFixed(0)} s`) + tooShort,
  };
}
