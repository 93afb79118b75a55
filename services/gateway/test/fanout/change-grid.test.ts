import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BBox } from '@nursing/geo';
import { GRID_STEP_DEG, createChangeGrid } from '../../src/fanout/change-grid.ts';
import { inBox } from '../../src/fanout/map-position.ts';

interface Change {
  id: number;
  p: { lat: number; lng: number };
}

const inside = (changes: readonly Change[], box: BBox) => changes.filter((c) => inBox(c.p, box)).map((c) => c.id);

function visited(changes: readonly Change[], box: BBox): number[] {
  const out: number[] = [];
  createChangeGrid(changes).forEachIn(box, (c) => out.push(c.id));
  return out;
}

/** A city of ~0.4 degrees and boxes inside and around it: with 150+ changes, boxes under ~0.12 degrees take the grid path. */
const lat = fc.double({ min: 31.0, max: 31.4, noNaN: true });
const lng = fc.double({ min: 121.3, max: 121.7, noNaN: true });
const box = fc
  .tuple(lat, lng, fc.double({ min: 0, max: 0.12, noNaN: true }), fc.double({ min: 0, max: 0.12, noNaN: true }))
  .map(([south, west, h, w]): BBox => ({ south, west, north: south + h, east: west + w }));

describe("a flush's changes grouped by grid cell", () => {
  it('visits exactly the changes inside any box, each once, whichever path it takes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lat, lng), { minLength: 150, maxLength: 600 }), fc.array(box, { minLength: 1, maxLength: 8 }), (points, boxes) => {
        const changes = points.map(([la, ln], id) => ({ id, p: { lat: la, lng: ln } }));
        for (const b of boxes) expect(visited(changes, b).sort((x, y) => x - y)).toEqual(inside(changes, b));
      }),
      { numRuns: 300 },
    );
  });

  it('includes positions exactly on the edges of a box and on grid lines', () => {
    const b: BBox = { south: 31.2, west: 121.4, north: 31.2 + 3 * GRID_STEP_DEG, east: 121.4 + 3 * GRID_STEP_DEG };
    const corners = [
      { lat: b.south, lng: b.west },
      { lat: b.north, lng: b.east },
      { lat: b.south, lng: b.east },
      { lat: b.north, lng: b.west },
      { lat: b.south + GRID_STEP_DEG, lng: b.west + GRID_STEP_DEG },
    ];
    const outside = [
      { lat: b.south - 1e-9, lng: b.west },
      { lat: b.north, lng: b.east + 1e-9 },
    ];
    // Enough other changes far away that the box is served from its grid cells, not by a scan.
    const far = Array.from({ length: 100 }, (_, i) => ({ lat: 30 + i * 0.001, lng: 120 }));
    const changes = [...corners, ...outside, ...far].map((p, id) => ({ id, p }));
    expect(visited(changes, b).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4]);
  });

  it('serves a box larger than the grid can usefully cut (a country) by a scan, with the same answer', () => {
    const changes = [
      { id: 0, p: { lat: 31.2, lng: 121.4 } },
      { id: 1, p: { lat: 39.9, lng: 116.4 } },
      { id: 2, p: { lat: -33.9, lng: 151.2 } },
    ];
    expect(visited(changes, { south: 18, west: 73, north: 54, east: 135 }).sort()).toEqual([0, 1]);
  });
});
