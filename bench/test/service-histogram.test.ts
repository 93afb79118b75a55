import { describe, expect, it } from 'vitest';
import { quantileOf } from '../lib/service-histogram.ts';

describe('histogram quantiles from cumulative buckets', () => {
  // 100 samples: 50 in (0, 0.1], 40 in (0.1, 0.2], 10 in (0.2, 0.5].
  const buckets = new Map([
    [0.1, 50],
    [0.2, 90],
    [0.5, 100],
    [Infinity, 100],
  ]);

  it('interpolates inside the bucket that holds the rank, in ms', () => {
    expect(quantileOf(buckets, 0.5)).toBeCloseTo(100);
    expect(quantileOf(buckets, 0.7)).toBeCloseTo(150);
    expect(quantileOf(buckets, 0.95)).toBeCloseTo(350);
  });

  it('gives the last finite bound when the rank is in +Inf, and null without samples', () => {
    expect(quantileOf(new Map([[0.1, 1], [Infinity, 10]]), 0.99)).toBeCloseTo(100);
    expect(quantileOf(new Map([[0.1, 0], [Infinity, 0]]), 0.99)).toBeNull();
  });
});
