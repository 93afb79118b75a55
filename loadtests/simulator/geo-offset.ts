import type { LatLng } from '@nursing/contracts';

/** Metres per degree of latitude (mean). */
export const METRES_PER_DEGREE_LAT = 111_195;

/** People's Square, Shanghai. */
export const CITY_CENTRE: LatLng = { lat: 31.2304, lng: 121.4737 };

/** The point `north` and `east` metres from `p` (flat-earth steps: fine for city distances). */
export function offsetMetres(p: LatLng, north: number, east: number): LatLng {
  return {
    lat: p.lat + north / METRES_PER_DEGREE_LAT,
    lng: p.lng + east / (METRES_PER_DEGREE_LAT * Math.cos((p.lat * Math.PI) / 180)),
  };
}

/** A random point within `radiusMetres` of `centre`, denser towards the middle like a city. */
export function pointNear(centre: LatLng, radiusMetres: number, rng: () => number): LatLng {
  const r = radiusMetres * Math.sqrt(rng()) * (0.5 + 0.5 * rng());
  const angle = rng() * 2 * Math.PI;
  return offsetMetres(centre, r * Math.cos(angle), r * Math.sin(angle));
}

/** Compass bearing from a to b in degrees [0, 360). */
export function bearingDeg(a: LatLng, b: LatLng): number {
  const north = (b.lat - a.lat) * METRES_PER_DEGREE_LAT;
  const east = (b.lng - a.lng) * METRES_PER_DEGREE_LAT * Math.cos((a.lat * Math.PI) / 180);
  const deg = (Math.atan2(east, north) * 180) / Math.PI;
  return (deg + 360) % 360;
}
