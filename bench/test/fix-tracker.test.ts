import { describe, expect, it } from 'vitest';
import { createLatencyRecorder } from '../lib/latency-recorder.ts';
import { createFixTracker } from '../latency/fix-tracker.ts';

describe('move-to-map fix tracking', () => {
  it('counts a fix as on the map once a position at least as new arrives (coalescing), per map', () => {
    const recorder = createLatencyRecorder(0);
    const tracker = createFixTracker({ markedIds: ['n0', 'n10'], viewers: 2, recorder });
    tracker.start(1_000);
    tracker.onSent('n0', 999); // before the window: not followed
    tracker.onSent('n0', 1_000);
    tracker.onSent('n0', 1_080);
    tracker.onSent('n5', 1_080); // not marked
    tracker.onSent('n0', 1_160);
    // Map 0 gets the second fix at 1,200: the first two are on the map (200 and 120 ms).
    tracker.onSeen(0, 'n0', 1_080, 1_200);
    // Map 1 only ever sees the third fix, at 1,300: all three count, at 300, 220 and 140 ms.
    tracker.onSeen(1, 'n0', 1_160, 1_300);
    tracker.onSeen(1, 'n0', 1_160, 1_400); // the same position again changes nothing
    tracker.stop();
    tracker.onSent('n0', 1_240); // after the window: not followed
    expect(recorder.count).toBe(5);
    // Map 0 never got the third fix: waiting from 1,160 until the end at 2,000.
    expect(tracker.finish(2_000)).toEqual({ delivered: 5, undelivered: 1, tracked: 3 });
    expect(recorder.count).toBe(6);
    expect(recorder.summary().maxMs).toBeCloseTo(840, 0);
    expect(recorder.percentileMs(50)).toBeCloseTo(200, -1);
  });
});

describe('latency recorder', () => {
  it('gives percentiles to 3 significant digits and bins that add up to the samples', () => {
    const r = createLatencyRecorder(0);
    for (let i = 1; i <= 1_000; i++) r.record(i / 10, 0); // 0.1 .. 100 ms
    expect(r.percentileMs(50)).toBeCloseTo(50, 0);
    expect(r.percentileMs(99)).toBeCloseTo(99, 0);
    const s = r.summary();
    expect(s.samples).toBe(1_000);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(s.histogram.edgesMs).toHaveLength(s.histogram.counts.length + 1);
    expect(s.histogram.edgesMs[0]!).toBeLessThanOrEqual(0.1);
    expect(s.histogram.edgesMs.at(-1)!).toBeGreaterThan(100);
  });
});

describe('memory growth slope', () => {
  it('is the per-socket cost of readings on a line, and one noisy reading moves it only a little', async () => {
    const { slope } = await import('../memory/memory-growth.ts');
    const line = [0, 1, 2, 3, 4].map((i) => ({ x: i * 1_000, y: 100 + i * 15 }));
    expect(slope(line)).toBeCloseTo(0.015, 9);
    const noisy = line.map((p, i) => (i === 2 ? { ...p, y: p.y + 3 } : p));
    expect(slope(noisy)).toBeCloseTo(0.015, 9);
    expect(slope([{ x: 1, y: 1 }])).toBeNaN();
  });
});

describe('latency per second', () => {
  it('has one point per second since the start, null where nothing was recorded', () => {
    const r = createLatencyRecorder(0);
    r.record(10, 500);
    r.record(30, 2_500);
    const s = r.perSecond('x');
    expect(s.t).toEqual([1, 2, 3]);
    expect(s.lines.find((l) => l.name === 'p99')!.values.map((v) => (v === null ? null : Math.round(v)))).toEqual([10, null, 30]);
  });
});
