import type { LatLng } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';
import { bearingDeg } from './geo-offset.ts';
import type { Rng } from './rng.ts';

export type TravelMode = 'walk' | 'drive';

/** Typical city speeds: on foot, and by e-bike or car in traffic (m/s). */
export const SPEED_MPS: Record<TravelMode, number> = { walk: 1.4, drive: 9 };

/** Trips shorter than this are walked. */
export const WALK_UP_TO_M = 1_200;

export interface Mover {
  at: LatLng;
  /** Waypoints still ahead, nearest first. */
  route: LatLng[];
  speedMps: number;
  headingDeg: number;
}

/**
 * A route shaped like a trip through a street grid: along one axis, then the other,
 * with a dog-leg halfway on longer trips, so tracks on the map look like streets
 * rather than straight lines.
 */
export function streetRoute(from: LatLng, to: LatLng, rng: Rng): LatLng[] {
  const eastFirst = rng() < 0.5;
  const corner = (a: LatLng, b: LatLng): LatLng => (eastFirst ? { lat: a.lat, lng: b.lng } : { lat: b.lat, lng: a.lng });
  if (distanceMeters(from, to) < 400) return [corner(from, to), to];
  const f = 0.3 + 0.4 * rng();
  const mid = { lat: from.lat + (to.lat - from.lat) * f, lng: from.lng + (to.lng - from.lng) * f };
  return [corner(from, mid), mid, corner(mid, to), to];
}

/** Starts a trip; the speed is the mode's, times `scale`, capped at `maxSpeedMps`. */
export function startTrip(mover: Mover, to: LatLng, mode: TravelMode, scale: number, maxSpeedMps: number, rng: Rng): void {
  mover.route = streetRoute(mover.at, to, rng);
  mover.speedMps = Math.min(SPEED_MPS[mode] * (0.8 + 0.4 * rng()) * scale, maxSpeedMps);
}

/** Moves along the route for `seconds`; true once the last waypoint is reached. */
export function advance(mover: Mover, seconds: number): boolean {
  let budget = mover.speedMps * seconds;
  while (budget > 0 && mover.route.length > 0) {
    const next = mover.route[0] as LatLng;
    const d = distanceMeters(mover.at, next);
    if (d > 0) mover.headingDeg = bearingDeg(mover.at, next);
    if (d <= budget) {
      mover.at = next;
      mover.route.shift();
      budget -= d;
      continue;
    }
    const f = budget / d;
    mover.at = { lat: mover.at.lat + (next.lat - mover.at.lat) * f, lng: mover.at.lng + (next.lng - mover.at.lng) * f };
    budget = 0;
  }
  return mover.route.length === 0;
}
