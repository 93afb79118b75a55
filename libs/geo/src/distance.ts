import type { LatLng } from './lat-lng.ts';

/**
 * Mean Earth radius (IUGG, (2a + b) / 3) in metres. The sphere is an approximation:
 * haversine on it is within ~0.5% of the WGS84 ellipsoid, far below what matters for
 * choosing a nurse, and it keeps the metric cheap and symmetric.
 */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Multiply degrees by this to get radians. */
export const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Haversine great-circle distance in metres from pre-converted inputs. The hot path
 * (NearestIndex) caches radians and cos(lat) per point; {@link distanceMeters} routes
 * through this same function so both produce bit-identical distances, which keeps
 * "within radius" decisions consistent across the library.
 */
export function haversineMetersFromRadians(
  lat1Rad: number,
  cosLat1: number,
  lng1Rad: number,
  lat2Rad: number,
  cosLat2: number,
  lng2Rad: number,
): number {
  const sinHalfDLat = Math.sin((lat2Rad - lat1Rad) / 2);
  const sinHalfDLng = Math.sin((lng2Rad - lng1Rad) / 2);
  const h = sinHalfDLat * sinHalfDLat + cosLat1 * cosLat2 * sinHalfDLng * sinHalfDLng;
  // min() guards against h creeping past 1 by rounding for near-antipodal points.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle (haversine) distance in metres between two positions on a sphere of {@link EARTH_RADIUS_M}. */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const aLatRad = a.lat * RADIANS_PER_DEGREE;
  const bLatRad = b.lat * RADIANS_PER_DEGREE;
  return haversineMetersFromRadians(
    aLatRad,
    Math.cos(aLatRad),
    a.lng * RADIANS_PER_DEGREE,
    bLatRad,
    Math.cos(bLatRad),
    b.lng * RADIANS_PER_DEGREE,
  );
}
