import { describe, expect, it } from 'vitest';
import { testNamespace, waitFor } from '../src/index.ts';

describe('testNamespace', () => {
  it('makes valid, distinct namespaces', () => {
    const namespaces = Array.from({ length: 200 }, () => testNamespace());
    for (const ns of namespaces) expect(ns).toMatch(/^t_[a-z0-9]{8}$/);
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });
});

describe('waitFor', () => {
  it('polls until the predicate holds', async () => {
    const readyAt = Date.now() + 100;
    await expect(waitFor(() => Date.now() >= readyAt, { timeoutMs: 2000, intervalMs: 10 })).resolves.toBe(true);
  });
});
