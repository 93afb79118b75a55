import type { Order } from '@nursing/contracts';

export interface OrderStats {
  orders: number;
  completed: number;
  cancelled: number;
  unassigned: number;
  visitsPerNurse: Record<string, number>;
  /** Seconds from creation to acceptance, over accepted orders. */
  timeToAcceptS: { p50: number | null; p90: number | null };
  averageRating: number | null;
  ratings: number;
}

const DONE = new Set(['completed', 'rated']);

/** The supervisors' figures over a set of orders. Pure, so it is tested on its own. */
export function computeOrderStats(orders: readonly Order[]): OrderStats {
  const visitsPerNurse: Record<string, number> = {};
  const acceptDelays: number[] = [];
  let completed = 0;
  let cancelled = 0;
  let unassigned = 0;
  let ratingSum = 0;
  let ratings = 0;
  for (const o of orders) {
    if (DONE.has(o.state)) {
      completed++;
      if (o.assignedNurseId) visitsPerNurse[o.assignedNurseId] = (visitsPerNurse[o.assignedNurseId] ?? 0) + 1;
    }
    if (o.state === 'cancelled') cancelled++;
    if (o.state === 'unassigned') unassigned++;
    if (o.acceptedAt) acceptDelays.push((Date.parse(o.acceptedAt) - Date.parse(o.createdAt)) / 1000);
    if (o.rating) {
      ratingSum += o.rating.score;
      ratings++;
    }
  }
  acceptDelays.sort((a, b) => a - b);
  return {
    orders: orders.length,
    completed,
    cancelled,
    unassigned,
    visitsPerNurse,
    timeToAcceptS: { p50: percentile(acceptDelays, 0.5), p90: percentile(acceptDelays, 0.9) },
    averageRating: ratings ? Math.round((ratingSum / ratings) * 100) / 100 : null,
    ratings,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}
