import { destination } from '@turf/turf';
import fc from 'fast-check';
import { fromLngLat, toLngLat, type LatLng } from '../src/index.ts';

/** The service area the library must be right in: 18-53N, 73-135E. */
export const SERVICE_BAND = { south: 18, north: 53, west: 73, east: 135 } as const;

/** A random position inside {@link SERVICE_BAND}. */
export const bandPoint: fc.Arbitrary<LatLng> = fc.record({
  lat: fc.double({ min: SERVICE_BAND.south, max: SERVICE_BAND.north, noNaN: true }),
  lng: fc.double({ min: SERVICE_BAND.west, max: SERVICE_BAND.east, noNaN: true }),
});

/** A bearing in degrees clockwise from north, [0, 360). */
export const bearingDeg: fc.Arbitrary<number> = fc.double({ min: 0, max: 360, maxExcluded: true, noNaN: true });

/**
 * The point `meters` from `from` along `bearing`, via turf (an implementation
 * independent of ours; it takes [lng, lat] and defaults to km, hence the options).
 */
export function destinationPoint(from: LatLng, bearing: number, meters: number): LatLng {
  return fromLngLat(destination(toLngLat(from), meters, bearing, { units: 'meters' }).geometry.coordinates);
}

/** Deterministic PRNG in [0, 1) so a fast-check seed reproduces a whole point cloud. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A uniformly random point in a square of `sideMeters` centred on `center` (flat-earth offsets are fine at this size). */
export function pointInSquare(center: LatLng, sideMeters: number, random: () => number): LatLng {
  const metersPerDegLat = 111_195;
  const metersPerDegLng = metersPerDegLat * Math.cos((center.lat * Math.PI) / 180);
  return {
    lat: center.lat + ((random() - 0.5) * sideMeters) / metersPerDegLat,
    lng: center.lng + ((random() - 0.5) * sideMeters) / metersPerDegLng,
  };
}
