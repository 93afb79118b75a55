/**
 * A WGS84 position in decimal degrees. Named fields rather than a tuple because
 * turf/GeoJSON use [lng, lat] and h3-js uses (lat, lng); a tuple invites swaps.
 */
export type LatLng = { readonly lat: number; readonly lng: number };

/** A GeoJSON position: longitude first, as turf and GeoJSON expect. */
export type LngLatTuple = [lng: number, lat: number];

/** True when `p` has finite coordinates with lat in [-90, 90] and lng in [-180, 180]. */
export function isValidLatLng(p: LatLng): boolean {
  return (
    Number.isFinite(p.lat) &&
    Number.isFinite(p.lng) &&
    p.lat >= -90 &&
    p.lat <= 90 &&
    p.lng >= -180 &&
    p.lng <= 180
  );
}

/** Throws a RangeError naming `what` unless `p` is a valid position (see {@link isValidLatLng}). */
export function assertValidLatLng(p: LatLng, what = 'position'): void {
  if (!isValidLatLng(p)) {
    throw new RangeError(`invalid ${what}: lat=${p.lat}, lng=${p.lng}`);
  }
}

/** Converts to a GeoJSON/turf position, [lng, lat]. */
export function toLngLat(p: LatLng): LngLatTuple {
  return [p.lng, p.lat];
}

/** Converts a GeoJSON/turf position, [lng, lat], back to a {@link LatLng}. */
export function fromLngLat(position: readonly number[]): LatLng {
  const [lng, lat] = position;
  if (lng === undefined || lat === undefined) {
    throw new RangeError(`a GeoJSON position needs two numbers, got ${position.length}`);
  }
  return { lat, lng };
}
