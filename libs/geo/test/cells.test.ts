import fc from 'fast-check';
import { cellToLatLng, getHexagonEdgeLengthAvg, getPentagons, gridDisk, isPentagon, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellDisc } from '../src/cell-geometry.ts';
import { cellBoundaryGeoJson, cellOf, coveringCells, distanceMeters, type LatLng } from '../src/index.ts';
import { bandPoint, bearingDeg, destinationPoint } from './service-band.ts';

const shanghai = { lat: 31.2304, lng: 121.4737 };
// The res-7 pentagon in the Bohai Sea off Dalian, inside the service band.
const dalianPentagon = getPentagons(7).find((cell) => {
  const [lat, lng] = cellToLatLng(cell);
  return lat > 38 && lat < 40 && lng > 121 && lng < 123;
})!;

/** A cell's centre as h3 reports it. */
function centerOf(cell: string): LatLng {
  const [lat, lng] = cellToLatLng(cell);
  return { lat, lng };
}

describe('cellOf', () => {
  it('matches pinned H3 indexes', () => {
    expect(cellOf({ lat: 37.3615593, lng: -122.0553238 }, 5)).toBe('85283473fffffff');
    expect(cellOf({ lat: 37.3615593, lng: -122.0553238 }, 7)).toBe('87283472bffffff');
    expect(cellOf(shanghai, 7)).toBe('87309959dffffff');
    expect(cellOf(shanghai, 8)).toBe('88309959d1fffff');
  });

  it('rejects invalid positions and resolutions', () => {
    expect(() => cellOf({ lat: 91, lng: 0 }, 7)).toThrow(RangeError);
    expect(() => cellOf(shanghai, 16)).toThrow(RangeError);
    expect(() => cellOf(shanghai, 7.5)).toThrow(RangeError);
  });
});

describe('cell discs (the geometry every bound rests on)', () => {
  const anywhere: fc.Arbitrary<LatLng> = fc.record({
    lat: fc.double({ min: -89.9, max: 89.9, noNaN: true }),
    lng: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  it('contain every point H3 assigns to the cell, anywhere on Earth', () => {
    fc.assert(
      fc.property(anywhere, fc.constantFrom(5, 7, 8), (p, res) => {
        const cell = cellOf(p, res);
        expect(distanceMeters(p, centerOf(cell))).toBeLessThanOrEqual(cellDisc(cell).circumradiusMeters);
      }),
      { numRuns: 500 },
    );
  });

  it('contain every point of pentagons and their distorted neighbours', () => {
    expect(dalianPentagon).toBeDefined();
    fc.assert(
      fc.property(fc.constantFrom(...getPentagons(7)), bearingDeg, fc.double({ min: 0, max: 4_000, noNaN: true }), (pentagon, bearing, meters) => {
        const p = destinationPoint(centerOf(pentagon), bearing, meters);
        const cell = cellOf(p, 7);
        expect(distanceMeters(p, centerOf(cell))).toBeLessThanOrEqual(cellDisc(cell).circumradiusMeters);
      }),
      { numRuns: 300 },
    );
  });
});

describe('coveringCells', () => {
  it('contains the cell of every point just inside 10 km, at res 7 and 8', () => {
    fc.assert(
      fc.property(bandPoint, bearingDeg, fc.double({ min: 9_990, max: 9_999.9, noNaN: true }), (center, bearing, meters) => {
        const p = destinationPoint(center, bearing, meters);
        for (const res of [7, 8]) {
          expect(coveringCells(center, 10_000, res).has(cellOf(p, res))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('covers a whole circle: many bearings around one centre, any radius and resolution', () => {
    fc.assert(
      fc.property(
        bandPoint,
        fc.double({ min: 0, max: 15_000, noNaN: true }),
        fc.constantFrom(6, 7, 8, 9),
        (center, radiusMeters, res) => {
          fc.pre(radiusMeters < 4_000 || res <= 8);
          const covering = coveringCells(center, radiusMeters, res);
          for (let bearing = 0; bearing < 360; bearing += 7.5) {
            const p = destinationPoint(center, bearing, Math.max(0, radiusMeters - 0.01));
            expect(covering.has(cellOf(p, res))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('covers circles that contain the Dalian pentagon', () => {
    const pentagonCenter = centerOf(dalianPentagon);
    fc.assert(
      fc.property(bearingDeg, fc.double({ min: 0, max: 8_000, noNaN: true }), bearingDeg, fc.double({ min: 0, max: 9_999.9, noNaN: true }), (b1, d1, b2, d2) => {
        const center = destinationPoint(pentagonCenter, b1, d1);
        const p = destinationPoint(center, b2, d2);
        expect(coveringCells(center, 10_000, 7).has(cellOf(p, 7))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("catches what the textbook k-ring from H3's average edge misses at Shanghai", () => {
    // k = ceil(R / (sqrt(3) * avgEdge)) = 5 at res 7, but Shanghai edges are ~17% short.
    const textbookK = Math.ceil(10_000 / (Math.sqrt(3) * getHexagonEdgeLengthAvg(7, 'm')));
    expect(textbookK).toBe(5);
    const textbookRing = new Set(gridDisk(cellOf(shanghai, 7), textbookK));
    const covering = coveringCells(shanghai, 10_000, 7);
    let missedByTextbook = 0;
    for (let bearing = 0; bearing < 360; bearing += 0.5) {
      const cell = cellOf(destinationPoint(shanghai, bearing, 9_999), 7);
      if (!textbookRing.has(cell)) missedByTextbook++;
      expect(covering.has(cell)).toBe(true);
    }
    expect(missedByTextbook).toBeGreaterThan(0);
  });

  it('is no bigger than the local-edge k-ring, and trims its corners', () => {
    // The local-edge formula k = ceil(R / (1.5 * minEdge) + 4/3) gives k = 8 (217
    // cells) at res 7 here; measuring each cell keeps fewer.
    const covering = coveringCells(shanghai, 10_000, 7);
    const ring8 = new Set(gridDisk(cellOf(shanghai, 7), 8));
    for (const cell of covering) expect(ring8.has(cell)).toBe(true);
    expect(covering.size).toBeLessThan(169);
    expect(covering.has(cellOf(shanghai, 7))).toBe(true);
  });

  it('is the centre cell alone for radius 0 well inside a cell', () => {
    const center = centerOf(cellOf(shanghai, 7));
    expect([...coveringCells(center, 0, 7)]).toEqual([cellOf(shanghai, 7)]);
  });

  it('rejects bad radii and absurd requests', () => {
    expect(() => coveringCells(shanghai, -1, 7)).toThrow(RangeError);
    expect(() => coveringCells(shanghai, Number.NaN, 7)).toThrow(RangeError);
    expect(() => coveringCells(shanghai, Number.POSITIVE_INFINITY, 7)).toThrow(RangeError);
    expect(() => coveringCells(shanghai, 10_000_000, 9)).toThrow(/more than/);
  });
});

describe('cellBoundaryGeoJson', () => {
  it('is a closed [lng, lat] ring around the cell', () => {
    const cell = cellOf(shanghai, 7);
    const ring = cellBoundaryGeoJson(cell);
    expect(ring).toHaveLength(7);
    expect(ring[0]).toEqual(ring[6]);
    for (const [lng, lat] of ring) {
      expect(lng).toBeGreaterThan(121.4);
      expect(lng).toBeLessThan(121.55);
      expect(lat).toBeGreaterThan(31.2);
      expect(lat).toBeLessThan(31.27);
    }
    // Nudged 1% towards the centre, every vertex falls in the cell itself.
    const [centerLat, centerLng] = cellToLatLng(cell);
    for (const [lng, lat] of ring) {
      expect(latLngToCell(lat + (centerLat - lat) * 0.01, lng + (centerLng - lng) * 0.01, 7)).toBe(cell);
    }
  });

  it('handles pentagons (5 corners, plus distortion vertices where faces meet)', () => {
    const ring = cellBoundaryGeoJson(dalianPentagon);
    expect(isPentagon(dalianPentagon)).toBe(true);
    expect(ring.length).toBeGreaterThanOrEqual(6);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
  });
});
