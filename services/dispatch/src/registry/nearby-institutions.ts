import type { Institution, LatLng } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';

export type NearbyInstitution = Institution & { distanceMeters: number };

/**
 * Every institution within `radiusMeters` of `from` (inclusive, exact haversine),
 * nearest first. A linear scan: a city has a few hundred institutions.
 */
export function institutionsWithin(institutions: readonly Institution[], from: LatLng, radiusMeters: number): NearbyInstitution[] {
  return institutions
    .map((institution) => ({ ...institution, distanceMeters: distanceMeters(from, institution.location) }))
    .filter((near) => near.distanceMeters <= radiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters || (a.id < b.id ? -1 : 1));
}
