import { cellToBoundary, cellToLatLng } from 'h3-js';
import { haversineMetersFromRadians, RADIANS_PER_DEGREE } from './distance.ts';

/**
 * A cell reduced to a disc: its centre (pre-converted for haversine) and a radius
 * that every point of the cell lies within.
 */
export type CellDisc = {
  readonly latRad: number;
  readonly cosLat: number;
  readonly lngRad: number;
  /** Max distance from the centre to any point of the cell, plus float slack. */
  readonly circumradiusMeters: number;
};

// Absorbs rounding differences between H3's projection maths and our haversine
// (~1e-5 m in practice); a centimetre costs nothing and keeps the bounds one-sided.
const CIRCUMRADIUS_SLACK_M = 0.01;

// Cells near active areas are reused query after query, so cache their discs. A
// plain clear-when-full keeps memory bounded (~40 MB worst case) without LRU
// bookkeeping on the hot path.
const MAX_CACHED_CELLS = 1 << 18;
const cache = new Map<string, CellDisc>();

/**
 * The disc enclosing `cell` (cached). The circumradius is the distance to the
 * farthest boundary vertex: H3 cell edges are great-circle arcs (straight lines in
 * the gnomonic face projection) and distance from a point along a short arc peaks
 * at an endpoint, so no point of the cell is farther than its farthest vertex.
 * cellToBoundary includes the extra vertices of cells that cross icosahedron
 * edges, so this also holds for those cells and for pentagons.
 */
export function cellDisc(cell: string): CellDisc {
  const cached = cache.get(cell);
  if (cached !== undefined) return cached;

  const [lat, lng] = cellToLatLng(cell);
  const latRad = lat * RADIANS_PER_DEGREE;
  const cosLat = Math.cos(latRad);
  const lngRad = lng * RADIANS_PER_DEGREE;
  let farthestMeters = 0;
  for (const [vLat, vLng] of cellToBoundary(cell)) {
    const vLatRad = vLat * RADIANS_PER_DEGREE;
    const d = haversineMetersFromRadians(
      latRad,
      cosLat,
      lngRad,
      vLatRad,
      Math.cos(vLatRad),
      vLng * RADIANS_PER_DEGREE,
    );
    if (d > farthestMeters) farthestMeters = d;
  }
  const disc: CellDisc = {
    latRad,
    cosLat,
    lngRad,
    circumradiusMeters: farthestMeters * (1 + 1e-9) + CIRCUMRADIUS_SLACK_M,
  };

  if (cache.size >= MAX_CACHED_CELLS) cache.clear();
  cache.set(cell, disc);
  return disc;
}

/**
 * A lower bound on the distance in metres from a point (given in radians, with its
 * cos(lat)) to every point of `cell`, by the triangle inequality:
 * d(p, x) >= d(p, centre) - circumradius. Negative when p may be inside the cell.
 */
export function cellDistanceLowerBoundMeters(
  latRad: number,
  cosLat: number,
  lngRad: number,
  cell: string,
): number {
  const disc = cellDisc(cell);
  return (
    haversineMetersFromRadians(latRad, cosLat, lngRad, disc.latRad, disc.cosLat, disc.lngRad) -
    disc.circumradiusMeters
  );
}
