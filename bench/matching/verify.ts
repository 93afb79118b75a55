import { distanceMeters, type LatLng, type NearestHit } from '@nursing/geo';
import { ineligibilityReasons, type EligibilityContext } from '../../services/dispatch/src/matching/eligibility.ts';
import type { NurseEntry } from '../../services/dispatch/src/matching/nurse-index.ts';
import { LIMIT, RADIUS_M } from './fixtures.ts';

export interface VerifyResult {
  queries: number;
  /** Ids brute force returns that the index did not: the failure this check exists for. */
  misses: number;
  /** Ids the index returned that brute force did not (an ineligible or too-far nurse). */
  extras: number;
  /** Queries whose ids match as sets but not in (distance, id) order. */
  orderMismatches: number;
  firstProblem?: { center: LatLng; missing: string[]; extra: string[] };
}

/**
 * Exhaustive answer: every entry within the radius (same haversine the index uses,
 * so the boundary is decided identically) that passes eligibility, by (distance, id).
 */
export function bruteForce(ids: readonly string[], entries: readonly NurseEntry[], center: LatLng, ctx: EligibilityContext): string[] {
  const found: { id: string; d: number }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!entry.position) continue;
    const d = distanceMeters(center, entry.position);
    if (d > RADIUS_M) continue;
    if (ineligibilityReasons(entry, { ...ctx, distanceMeters: d }).length === 0) found.push({ id: ids[i]!, d });
  }
  found.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found.slice(0, LIMIT).map((f) => f.id);
}

export function verify(
  ids: readonly string[],
  entries: readonly NurseEntry[],
  centers: readonly LatLng[],
  ctx: EligibilityContext,
  search: (center: LatLng) => NearestHit<NurseEntry>[],
): VerifyResult {
  const result: VerifyResult = { queries: centers.length, misses: 0, extras: 0, orderMismatches: 0 };
  for (const center of centers) {
    const expected = bruteForce(ids, entries, center, ctx);
    const got = search(center).map((h) => h.id);
    const gotSet = new Set(got);
    const expectedSet = new Set(expected);
    const missing = expected.filter((id) => !gotSet.has(id));
    const extra = got.filter((id) => !expectedSet.has(id));
    result.misses += missing.length;
    result.extras += extra.length;
    if (missing.length === 0 && extra.length === 0 && got.some((id, i) => id !== expected[i])) result.orderMismatches++;
    if ((missing.length || extra.length) && !result.firstProblem) {
      result.firstProblem = { center, missing: missing.slice(0, 10), extra: extra.slice(0, 10) };
    }
  }
  return result;
}
