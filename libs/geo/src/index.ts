/**
 * @nursing/geo: positions, distances and H3 cells for dispatch. Coordinates are
 * always {@link LatLng} objects; [lng, lat] tuples only appear at GeoJSON edges.
 */
export { assertValidBBox, type BBox } from './bbox.ts';
export { cellBoundaryGeoJson } from './cell-boundary.ts';
export { assertValidResolution, cellOf, coveringCells, MAX_COVERING_CELLS, type H3Cell } from './cells.ts';
export {
  COARSE_RESOLUTION,
  coarseCellOf,
  coarseCellsInBBox,
  coarseCellWithNeighbours,
  MAX_BBOX_COARSE_CELLS,
} from './coarse-cell.ts';
export { distanceMeters, EARTH_RADIUS_M } from './distance.ts';
export {
  assertValidLatLng,
  fromLngLat,
  isValidLatLng,
  toLngLat,
  type LatLng,
  type LngLatTuple,
} from './lat-lng.ts';
export type { NearestFilter, NearestHit } from './nearest-collector.ts';
export {
  DEFAULT_NEAREST_INDEX_RESOLUTION,
  NearestIndex,
  type IndexedPoint,
  type NearestIndexOptions,
  type NearestQuery,
} from './nearest-index.ts';
export { isWithinMeters } from './within.ts';
