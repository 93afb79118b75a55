import { distance as turfDistance } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMeters, EARTH_RADIUS_M, isWithinMeters, toLngLat, type LatLng } from '../src/index.ts';
import { bandPoint, bearingDeg, destinationPoint } from './service-band.ts';

/** Independent great-circle distance: angle between unit vectors via atan2(|a x b|, a . b). */
function vectorDistanceMeters(a: LatLng, b: LatLng): number {
  const toVector = (p: LatLng): [number, number, number] => {
    const lat = (p.lat * Math.PI) / 180;
    const lng = (p.lng * Math.PI) / 180;
    return [Math.cos(lat) * Math.cos(lng), Math.cos(lat) * Math.sin(lng), Math.sin(lat)];
  };
  const [ax, ay, az] = toVector(a);
  const [bx, by, bz] = toVector(b);
  const cross = Math.hypot(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
  return EARTH_RADIUS_M * Math.atan2(cross, ax * bx + ay * by + az * bz);
}

const peoplesSquare = { lat: 31.2304, lng: 121.4737 };
const pudongAirport = { lat: 31.1443, lng: 121.8083 };

describe('distanceMeters', () => {
  it('uses the mean Earth radius', () => {
    expect(EARTH_RADIUS_M).toBe(6_371_008.8);
  });

  it("measures People's Square to Pudong airport as ~33.2 km", () => {
    const meters = distanceMeters(peoplesSquare, pudongAirport);
    expect(meters).toBeCloseTo(33_237.519, 2);
    expect(Math.abs(meters - vectorDistanceMeters(peoplesSquare, pudongAirport))).toBeLessThan(1e-3);
  });

  it('is zero to itself and symmetric', () => {
    fc.assert(
      fc.property(bandPoint, bandPoint, (a, b) => {
        expect(distanceMeters(a, a)).toBe(0);
        expect(distanceMeters(a, b)).toBe(distanceMeters(b, a));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with an independent formula and with turf', () => {
    fc.assert(
      fc.property(bandPoint, bandPoint, (a, b) => {
        const meters = distanceMeters(a, b);
        expect(Math.abs(meters - vectorDistanceMeters(a, b))).toBeLessThan(1e-3 + meters * 1e-12);
        const turfMeters = turfDistance(toLngLat(a), toLngLat(b), { units: 'meters' });
        expect(Math.abs(meters - turfMeters)).toBeLessThan(1e-3 + meters * 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('recovers the distance walked by turf destination', () => {
    fc.assert(
      fc.property(bandPoint, bearingDeg, fc.double({ min: 1, max: 50_000, noNaN: true }), (from, bearing, meters) => {
        expect(Math.abs(distanceMeters(from, destinationPoint(from, bearing, meters)) - meters)).toBeLessThan(1e-3);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isWithinMeters', () => {
  it('is inclusive at the radius', () => {
    const meters = distanceMeters(peoplesSquare, pudongAirport);
    expect(isWithinMeters(peoplesSquare, pudongAirport, meters)).toBe(true);
    expect(isWithinMeters(peoplesSquare, pudongAirport, meters - 0.01)).toBe(false);
  });

  it('is true just inside 10 km and false just outside, in every direction', () => {
    fc.assert(
      fc.property(
        bandPoint,
        bearingDeg,
        fc.double({ min: 9_990, max: 9_999.9, noNaN: true }),
        fc.double({ min: 10_000.1, max: 10_050, noNaN: true }),
        (center, bearing, inside, outside) => {
          expect(isWithinMeters(center, destinationPoint(center, bearing, inside), 10_000)).toBe(true);
          expect(isWithinMeters(center, destinationPoint(center, bearing, outside), 10_000)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
