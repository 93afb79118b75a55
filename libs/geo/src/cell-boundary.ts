import { cellToBoundary } from 'h3-js';
import type { LngLatTuple } from './lat-lng.ts';

/**
 * The cell's outline as a closed GeoJSON linear ring of [lng, lat] positions (first
 * position repeated at the end), ready for a Polygon's coordinates. Pentagons and
 * cells crossing icosahedron edges can have up to 10 distinct vertices.
 */
export function cellBoundaryGeoJson(cell: string): LngLatTuple[] {
  // `true` asks h3-js for [lng, lat] order; 4.5 also closes the loop, but that is
  // a formatting detail we do not rely on, so close it only when it is open.
  const ring = cellToBoundary(cell, true).map(([lng, lat]): LngLatTuple => [lng, lat]);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1])) {
    ring.push([first[0], first[1]]);
  }
  return ring;
}
