import { gridRing, latLngToCell } from 'h3-js';
import { cellDisc, cellDistanceLowerBoundMeters } from './cell-geometry.ts';
import { RADIANS_PER_DEGREE } from './distance.ts';
import { assertValidLatLng, type LatLng } from './lat-lng.ts';

/** An H3 cell index as h3-js returns it: a 15-character hex string. */
export type H3Cell = string;

/** Throws a RangeError unless `resolution` is an integer H3 resolution, 0-15. */
export function assertValidResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError(`H3 resolution must be an integer 0-15, got ${resolution}`);
  }
}

/** The H3 cell containing `p` at `resolution`. Throws RangeError on invalid input. */
export function cellOf(p: LatLng, resolution: number): H3Cell {
  assertValidLatLng(p);
  assertValidResolution(resolution);
  // h3-js takes (lat, lng), unlike turf.
  return latLngToCell(p.lat, p.lng, resolution);
}

/**
 * Refuses coverings that would enumerate this many cells: 10 km at res 8 needs
 * ~1,000, so anything near this is a unit mistake (km for m, or the wrong res).
 */
export const MAX_COVERING_CELLS = 200_000;

/**
 * The H3 cells at `resolution` that together contain every point within
 * `radiusMeters` (haversine, inclusive) of `center`; a disc-shaped set, not a
 * whole k-ring, so corner cells that cannot reach the circle are left out.
 *
 * Why it is safe at any latitude: rings are walked outward from the centre's
 * cell (gridRing, which is pentagon-safe in h3-js 4.5). Each cell gets the lower
 * bound LB = d(center, cellCentre) - circumradius on the distance to its points,
 * and is kept unless LB exceeds the radius. The walk stops at the first ring k in
 * which every cell has LB above the radius: a geodesic from the centre to any
 * point outside the (k-1)-disc steps straight into a ring-k cell on leaving it,
 * so that point is farther than the radius too. The bound uses each cell's own
 * measured geometry, so H3's latitude-dependent cell size (17% below average at
 * Shanghai) and anisotropy need no fudge factor.
 */
export function coveringCells(center: LatLng, radiusMeters: number, resolution: number): Set<H3Cell> {
  if (!Number.isFinite(radiusMeters) || radiusMeters < 0) {
    throw new RangeError(`radiusMeters must be a finite number >= 0, got ${radiusMeters}`);
  }
  const origin = cellOf(center, resolution);
  const latRad = center.lat * RADIANS_PER_DEGREE;
  const cosLat = Math.cos(latRad);
  const lngRad = center.lng * RADIANS_PER_DEGREE;

  // Fail fast instead of walking 200k cells: a hexagon of circumradius r has
  // area 2.6 r^2, and r is about the edge length.
  const originRadiusMeters = cellDisc(origin).circumradiusMeters;
  const estimatedCells = (Math.PI * radiusMeters * radiusMeters) / (2.6 * originRadiusMeters ** 2);
  if (estimatedCells > MAX_COVERING_CELLS) {
    throw new RangeError(
      `covering ${radiusMeters} m at res ${resolution} needs ~${Math.round(estimatedCells)} cells, more than ${MAX_COVERING_CELLS}`,
    );
  }

  const covering = new Set<H3Cell>();
  let visited = 0;
  for (let k = 0; ; k++) {
    const ring = k === 0 ? [origin] : gridRing(origin, k);
    visited += ring.length;
    if (visited > MAX_COVERING_CELLS) {
      throw new RangeError(
        `covering ${radiusMeters} m at res ${resolution} needs more than ${MAX_COVERING_CELLS} cells`,
      );
    }
    let ringLowerBoundMeters = Infinity;
    for (const cell of ring) {
      const lowerBoundMeters = cellDistanceLowerBoundMeters(latRad, cosLat, lngRad, cell);
      if (lowerBoundMeters < ringLowerBoundMeters) ringLowerBoundMeters = lowerBoundMeters;
      if (lowerBoundMeters <= radiusMeters) covering.add(cell);
    }
    if (ringLowerBoundMeters > radiusMeters) return covering;
  }
}
