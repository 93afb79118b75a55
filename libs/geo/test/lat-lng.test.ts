import { destination } from '@turf/turf';
import { cellToLatLng } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellOf, distanceMeters, fromLngLat, isValidLatLng, toLngLat } from '../src/index.ts';

describe('isValidLatLng', () => {
  it('accepts the world and rejects everything else', () => {
    expect(isValidLatLng({ lat: 31, lng: 121 })).toBe(true);
    expect(isValidLatLng({ lat: -90, lng: 180 })).toBe(true);
    expect(isValidLatLng({ lat: 90.0001, lng: 0 })).toBe(false);
    expect(isValidLatLng({ lat: 0, lng: -180.5 })).toBe(false);
    expect(isValidLatLng({ lat: Number.NaN, lng: 0 })).toBe(false);
    expect(isValidLatLng({ lat: 0, lng: Number.POSITIVE_INFINITY })).toBe(false);
  });
});

describe('coordinate order', () => {
  const p = { lat: 31, lng: 121 };

  it('converts to and from GeoJSON [lng, lat]', () => {
    expect(toLngLat(p)).toEqual([121, 31]);
    expect(fromLngLat([121, 31])).toEqual(p);
    expect(() => fromLngLat([121])).toThrow(RangeError);
  });

  it('hands h3 (lat, lng): the cell centre round-trips next to the input', () => {
    const [lat, lng] = cellToLatLng(cellOf(p, 9));
    expect(distanceMeters(p, { lat, lng })).toBeLessThan(200);
    // Swapped, lat would be 121: rejected loudly rather than silently misplaced.
    expect(() => cellOf({ lat: p.lng, lng: p.lat }, 9)).toThrow(RangeError);
  });

  it('hands turf [lng, lat]: 1 km north moves latitude, not longitude', () => {
    const north = fromLngLat(destination(toLngLat(p), 1_000, 0, { units: 'meters' }).geometry.coordinates);
    expect(north.lng).toBeCloseTo(121, 9);
    expect(north.lat).toBeGreaterThan(31.008);
    expect(north.lat).toBeLessThan(31.01);
  });
});
