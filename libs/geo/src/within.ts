import { distanceMeters } from './distance.ts';
import type { LatLng } from './lat-lng.ts';

/**
 * Exact radius test: true when the haversine distance is at most `radiusMeters`
 * (inclusive). Uses the same distance function as NearestIndex, so the two agree
 * on every boundary case.
 */
export function isWithinMeters(a: LatLng, b: LatLng, radiusMeters: number): boolean {
  return distanceMeters(a, b) <= radiusMeters;
}
