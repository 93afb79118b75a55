/** One eligible nurse with what ranking looks at. */
export interface RankInput {
  nurseId: string;
  distanceMeters: number;
  /** Visits assigned to her today. */
  workloadToday: number;
  /** Average rating 1-5; undefined when she has none yet. */
  rating: number | undefined;
}

/** Distances within the same band count as equally near, so fairness can decide. */
export const DISTANCE_BAND_M = 1_000;
/** A nurse without ratings is ranked as an average one, neither favoured nor buried. */
export const NEUTRAL_RATING = 3.5;

/**
 * Ranks eligible nurses: distance first (in 1 km bands), then fairness (fewer visits
 * today first), then rating (higher first), then exact distance and id, so the order
 * is total and the same on every instance.
 */
export function rankCandidates<T extends RankInput>(candidates: readonly T[], bandMeters = DISTANCE_BAND_M): T[] {
  return [...candidates].sort(
    (a, b) =>
      Math.floor(a.distanceMeters / bandMeters) - Math.floor(b.distanceMeters / bandMeters) ||
      a.workloadToday - b.workloadToday ||
      (b.rating ?? NEUTRAL_RATING) - (a.rating ?? NEUTRAL_RATING) ||
      a.distanceMeters - b.distanceMeters ||
      (a.nurseId < b.nurseId ? -1 : a.nurseId > b.nurseId ? 1 : 0),
  );
}
