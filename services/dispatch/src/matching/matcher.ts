import type { Redis } from 'ioredis';
import type { CatalogItem, Order, RedisKeys } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';
import { INELIGIBILITY_REASONS, ineligibilityReasons, type EligibilityContext, type IneligibilityReason } from './eligibility.ts';
import type { NurseIndex } from './nurse-index.ts';
import { rankCandidates, type RankInput } from './ranking.ts';

export interface MatcherSettings {
  radiusMeters: number;
  maxPositionAgeMs: number;
  /** How many of the nearest eligible nurses ranking considers for a push offer. */
  pushPool?: number;
}

export interface Candidate extends RankInput {
  name: string;
}

export interface IneligibleNurse {
  nurseId: string;
  name: string;
  distanceMeters?: number;
  reasons: { code: IneligibilityReason; text: string }[];
}

/** Today's date in the platform's zone (China Standard Time, UTC+8), for the workload counter. */
export function workloadDay(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Finds and ranks the nurses who may be offered an order. */
export function createMatcher(deps: { index: NurseIndex; redis: Redis; keys: RedisKeys; now: () => number; settings: MatcherSettings }) {
  const { index, redis, keys, now, settings } = deps;
  const pushPool = settings.pushPool ?? 50;

  const context = (order: Order, item: CatalogItem): EligibilityContext => ({
    order,
    item,
    visitEndMs: Date.parse(order.window.endAt),
    nowMs: now(),
    maxPositionAgeMs: settings.maxPositionAgeMs,
    radiusMeters: settings.radiusMeters,
  });

  async function withRanking(hits: { id: string; distanceMeters: number }[]): Promise<Candidate[]> {
    if (hits.length === 0) return [];
    const counts = await redis.hmget(keys.workload(workloadDay(now())), ...hits.map((h) => h.id));
    return rankCandidates(
      hits.map((h, i) => {
        const nurse = index.get(h.id)?.nurse;
        return {
          nurseId: h.id,
          name: nurse?.name ?? '',
          distanceMeters: Math.round(h.distanceMeters),
          workloadToday: Number(counts[i] ?? 0),
          rating: nurse && nurse.ratingCount > 0 ? nurse.ratingSum / nurse.ratingCount : undefined,
        };
      }),
    );
  }

  /** Eligible nurses within the radius, ranked. `limit` undefined means all of them (grab). */
  async function candidates(order: Order, item: CatalogItem, options: { exclude?: ReadonlySet<string>; limit?: number } = {}): Promise<Candidate[]> {
    const ctx = context(order, item);
    const exclude = options.exclude;
    const hits = index.nearestEligible(order.location, ctx, { ...(options.limit === undefined ? {} : { limit: options.limit }), ...(exclude ? { exclude } : {}) });
    return withRanking(hits.map((h) => ({ id: h.id, distanceMeters: h.distanceMeters })));
  }

  return {
    candidates,
    /** The best nurse not yet offered this order, or undefined. */
    async nextForPush(order: Order, item: CatalogItem, offered: ReadonlySet<string>): Promise<Candidate | undefined> {
      return (await candidates(order, item, { exclude: offered, limit: pushPool }))[0];
    },

    /**
     * Why each nurse of the order's institution is or is not a candidate. Nurses of
     * other institutions are only counted, never identified.
     */
    async explain(order: Order, item: CatalogItem, offered: ReadonlySet<string>) {
      const eligible = await candidates(order, item, { exclude: offered });
      const eligibleIds = new Set(eligible.map((c) => c.nurseId));
      const ctx = context(order, item);
      const ineligible: IneligibleNurse[] = [];
      for (const [nurseId, entry] of index.ofInstitution(order.institutionId)) {
        if (eligibleIds.has(nurseId)) continue;
        const d = entry.position ? distanceMeters(order.location, entry.position) : undefined;
        const codes = ineligibilityReasons(entry, { ...ctx, ...(d === undefined ? {} : { distanceMeters: d }) });
        if (offered.has(nurseId)) codes.push('already_offered');
        ineligible.push({
          nurseId,
          name: entry.nurse?.name ?? '',
          ...(d === undefined ? {} : { distanceMeters: Math.round(d) }),
          reasons: codes.map((code) => ({ code, text: INELIGIBILITY_REASONS[code] })),
        });
      }
      ineligible.sort((a, b) => (a.distanceMeters ?? Infinity) - (b.distanceMeters ?? Infinity));
      const otherInstitutionsNearby = index
        .nearest(order.location, settings.radiusMeters, undefined, (_id, e) => e.nurse?.institutionId !== order.institutionId)
        .length;
      return { eligible, ineligible, otherInstitutionsNearby };
    },
  };
}

export type Matcher = ReturnType<typeof createMatcher>;
