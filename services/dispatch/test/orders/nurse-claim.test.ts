import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderState } from '@nursing/contracts';
import { startDispatchTestApp, type DispatchTestApp } from '../harness.ts';
import { createNurseClaims } from '../../src/orders/nurse-claim.ts';

// The nurse's active-order claim on real Redis: one script call when she is free, a
// second only when the key names another order, whose state then decides.
let t: DispatchTestApp;
const states = new Map<string, OrderState>();
let claims: ReturnType<typeof createNurseClaims>;
const holder = (nurseId: string) => t.deps.redis.get(t.deps.keys.activeOrder(nurseId));

beforeAll(async () => {
  t = await startDispatchTestApp();
  claims = createNurseClaims({ redis: t.deps.redis, keys: t.deps.keys, stateOf: async (id) => states.get(id) });
});
afterAll(async () => {
  await t?.close();
});

describe('nurse claims', () => {
  it('claims a free nurse, and again for the same order (a retried request)', async () => {
    await claims.claim('c1', 'o1');
    await claims.claim('c1', 'o1');
    expect(await holder('c1')).toBe('o1');
  });

  it('refuses NURSE_BUSY while her order is live, and leaves the claim alone', async () => {
    states.set('live', 'accepted');
    await t.deps.redis.set(t.deps.keys.activeOrder('c2'), 'live');
    await expect(claims.claim('c2', 'o2')).rejects.toMatchObject({ code: 'NURSE_BUSY' });
    expect(await holder('c2')).toBe('live');
  });

  it('takes over a claim left by an order that has finished or vanished', async () => {
    states.set('done', 'completed');
    await t.deps.redis.set(t.deps.keys.activeOrder('c3'), 'done');
    await claims.claim('c3', 'o3');
    expect(await holder('c3')).toBe('o3');

    await t.deps.redis.set(t.deps.keys.activeOrder('c4'), 'gone');
    await claims.claim('c4', 'o4');
    expect(await holder('c4')).toBe('o4');
  });

  it('lets exactly one of several orders claimed at the same moment have her', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) states.set(id, 'broadcast');
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((id) => claims.claim('c5', id)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [['a', 'b', 'c', 'd', 'e'][i]] : []));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['NURSE_BUSY', 'NURSE_BUSY', 'NURSE_BUSY', 'NURSE_BUSY']);
    expect(await holder('c5')).toBe(won[0]);
  });

  it("releases only the order's own claim", async () => {
    await claims.claim('c6', 'o6');
    await claims.release('c6', 'other');
    expect(await holder('c6')).toBe('o6');
    await claims.release('c6', 'o6');
    expect(await holder('c6')).toBeNull();
  });
});
