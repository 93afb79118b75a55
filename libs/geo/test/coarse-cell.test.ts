import fc from 'fast-check';
import { cellToBoundary, cellToLatLng, getResolution, polygonToCells } from 'h3-js';
import { describe, expect, it } from 'vitest';
import {
  cellOf,
  COARSE_RESOLUTION,
  coarseCellOf,
  coarseCellsInBBox,
  distanceMeters,
  type BBox,
  type LatLng,
} from '../src/index.ts';
import { bandPoint } from './service-band.ts';

const shanghai = { lat: 31.2304, lng: 121.4737 };

/** A box of up to ~spanDeg around a random service-band point. */
function bboxAround(spanDeg: number): fc.Arbitrary<BBox> {
  return fc
    .tuple(bandPoint, fc.double({ min: 0, max: spanDeg, noNaN: true }), fc.double({ min: 0, max: spanDeg, noNaN: true }))
    .map(([corner, width, height]) => ({
      west: corner.lng,
      south: corner.lat,
      east: Math.min(180, corner.lng + width),
      north: Math.min(90, corner.lat + height),
    }));
}

function pointIn(box: BBox, u: number, v: number): LatLng {
  return { lat: box.south + (box.north - box.south) * v, lng: box.west + (box.east - box.west) * u };
}

describe('coarseCellOf', () => {
  it('is the res-5 cell', () => {
    expect(COARSE_RESOLUTION).toBe(5);
    expect(coarseCellOf({ lat: 37.3615593, lng: -122.0553238 })).toBe('85283473fffffff');
    expect(coarseCellOf(shanghai)).toBe('8530995bfffffff');
    expect(getResolution(coarseCellOf(shanghai))).toBe(5);
  });
});

describe('coarseCellsInBBox', () => {
  const unit = fc.double({ min: 0, max: 1, noNaN: true });

  it('contains the coarse cell of every point in the box, edges and corners included', () => {
    fc.assert(
      fc.property(bboxAround(1.5), fc.array(fc.tuple(unit, unit), { minLength: 1, maxLength: 20 }), (box, uvs) => {
        const cells = coarseCellsInBBox(box);
        const probes = [...uvs, [0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0], [0, 0.5], [1, 0.5], [0.5, 1]] as const;
        for (const [u, v] of probes) expect(cells.has(coarseCellOf(pointIn(box, u, v)))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('includes every cell polygonToCells finds, and only cells that come near the box', () => {
    fc.assert(
      fc.property(bboxAround(1), (box) => {
        const cells = coarseCellsInBBox(box);
        const outline = [
          [box.west, box.south],
          [box.east, box.south],
          [box.east, box.north],
          [box.west, box.north],
        ];
        // h3 rejects zero-area polygons (one reason coarseCellsInBBox does not use it).
        const inside = box.east > box.west && box.north > box.south ? polygonToCells(outline, COARSE_RESOLUTION, true) : [];
        for (const cell of inside) expect(cells.has(cell)).toBe(true);
        // Nothing kept is farther from the box than a generous cell diameter.
        const clampToBox = (p: LatLng): LatLng => ({
          lat: Math.min(box.north, Math.max(box.south, p.lat)),
          lng: Math.min(box.east, Math.max(box.west, p.lng)),
        });
        for (const cell of cells) {
          const [lat, lng] = cellToLatLng(cell);
          expect(distanceMeters({ lat, lng }, clampToBox({ lat, lng }))).toBeLessThan(20_000);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('handles a box smaller than a cell and a single point', () => {
    const tiny = { west: 121.47, south: 31.23, east: 121.4701, north: 31.2301 };
    expect(coarseCellsInBBox(tiny).has(coarseCellOf(shanghai))).toBe(true);
    expect(coarseCellsInBBox(tiny).size).toBeLessThanOrEqual(4);
    const point = { west: shanghai.lng, south: shanghai.lat, east: shanghai.lng, north: shanghai.lat };
    expect(coarseCellsInBBox(point).has(coarseCellOf(shanghai))).toBe(true);
  });

  it('includes a cell that only pokes into the box, though its centre is outside', () => {
    const cell = coarseCellOf(shanghai);
    const [centerLat, centerLng] = cellToLatLng(cell);
    // A box with one corner just inside the cell's vertex, extending away from it.
    const [vertexLat, vertexLng] = cellToBoundary(cell)[0]!;
    const tip = { lat: vertexLat + (centerLat - vertexLat) * 0.02, lng: vertexLng + (centerLng - vertexLng) * 0.02 };
    expect(cellOf(tip, COARSE_RESOLUTION)).toBe(cell);
    const outward = { lat: Math.sign(vertexLat - centerLat) * 0.1, lng: Math.sign(vertexLng - centerLng) * 0.1 };
    const box = {
      west: Math.min(tip.lng, tip.lng + outward.lng),
      east: Math.max(tip.lng, tip.lng + outward.lng),
      south: Math.min(tip.lat, tip.lat + outward.lat),
      north: Math.max(tip.lat, tip.lat + outward.lat),
    };
    const outline = [
      [box.west, box.south],
      [box.east, box.south],
      [box.east, box.north],
      [box.west, box.north],
    ];
    expect(polygonToCells(outline, COARSE_RESOLUTION, true)).not.toContain(cell);
    expect(coarseCellsInBBox(box).has(cell)).toBe(true);
  });

  it('rejects invalid, antimeridian-crossing and huge boxes with clear errors', () => {
    expect(() => coarseCellsInBBox({ west: 121, south: 32, east: 122, north: 31 })).toThrow(RangeError);
    expect(() => coarseCellsInBBox({ west: 121, south: 31, east: 122, north: Number.NaN })).toThrow(RangeError);
    expect(() => coarseCellsInBBox({ west: 179, south: 0, east: -179, north: 1 })).toThrow(/antimeridian/);
    expect(() => coarseCellsInBBox({ west: 73, south: 18, east: 135, north: 53 })).toThrow(/coarse cells/);
  });
});
