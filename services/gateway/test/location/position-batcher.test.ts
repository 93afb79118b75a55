import { describe, expect, it } from 'vitest';
import type { NursePosition } from '@nursing/contracts';
import { createPositionBatcher } from '../../src/location/position-batcher.ts';

const FLUSH_MS = 20;

describe('position batcher', () => {
  it('writes together what arrives within one interval, and acks each fix once it is written', async () => {
    const written: NursePosition[][] = [];
    const batcher = createPositionBatcher({ write: async (batch) => void written.push([...batch]), flushMs: FLUSH_MS, maxBatch: 1_000 });
    const acks: (unknown | 'ok')[] = [];
    for (let i = 0; i < 3; i++) batcher.add({ nurseId: `n-${i}`, lat: 31.2, lng: 121.4, atMs: i }, (err) => acks.push(err ?? 'ok'));
    expect(written).toHaveLength(0);
    await new Promise((r) => setTimeout(r, FLUSH_MS * 3));
    expect(written.map((b) => b.map((p) => p.nurseId))).toEqual([['n-0', 'n-1', 'n-2']]);
    expect(acks).toEqual(['ok', 'ok', 'ok']);
    await batcher.stop();
  });

  it('passes a failed write to every fix of the batch', async () => {
    const batcher = createPositionBatcher({ write: () => Promise.reject(new Error('redis down')), flushMs: FLUSH_MS });
    const errors: unknown[] = [];
    batcher.add({ nurseId: 'n-1', lat: 31.2, lng: 121.4, atMs: 1 }, (err) => errors.push(err));
    batcher.add({ nurseId: 'n-2', lat: 31.2, lng: 121.4, atMs: 1 }, (err) => errors.push(err));
    await batcher.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['redis down', 'redis down']);
  });

  it('writes on time while fixes keep arriving and no timer can run', async () => {
    const writtenAt: number[] = [];
    const batcher = createPositionBatcher({ write: async () => void writtenAt.push(performance.now()), flushMs: FLUSH_MS, maxBatch: 1_000_000 });
    // One synchronous stretch of 10 intervals, as when the poll phase reads socket after socket under load.
    const start = performance.now();
    const until = start + 10 * FLUSH_MS;
    let i = 0;
    while (performance.now() < until) batcher.add({ nurseId: `n-${i % 100}`, lat: 31.2, lng: 121.4, atMs: i++ }, () => undefined);
    // Writes started inside the stretch (their promises settle after it).
    await batcher.stop();
    const inside = writtenAt.filter((t) => t < until);
    expect(inside.length).toBeGreaterThanOrEqual(8);
    expect(inside.length).toBeLessThanOrEqual(11);
  });
});
