import { getHexagonAreaAvg, gridDisk, gridRing } from 'h3-js';
import { assertValidBBox, bboxAreaSquareMeters, bboxDistanceLowerBoundMeters, type BBox } from './bbox.ts';
import { cellDisc } from './cell-geometry.ts';
import { cellOf, type H3Cell } from './cells.ts';
import type { LatLng } from './lat-lng.ts';

/**
 * Resolution of the "coarse area" used in broadcasts and NATS subject partitions.
 * Res 5 hexagons average ~253 km^2 (~8.5 km edge): a city district, so a
 * dispatcher's map view maps to a handful of subjects and a moving nurse changes
 * subject rarely.
 */
export const COARSE_RESOLUTION = 5;

/**
 * Largest box {@link coarseCellsInBBox} accepts, in (estimated) coarse cells:
 * ~1.3 million km^2, e.g. all of East China. Beyond that, subscribe to everything
 * instead of thousands of subjects.
 */
export const MAX_BBOX_COARSE_CELLS = 5_000;

/** The coarse (res {@link COARSE_RESOLUTION}) cell containing `p`. */
export function coarseCellOf(p: LatLng): H3Cell {
  return cellOf(p, COARSE_RESOLUTION);
}

/**
 * A coarse cell and the ring of its neighbours (7 cells, 6 next to a pentagon): the
 * area around a position in which a moving nurse's next fixes land, short of a jump.
 */
export function coarseCellWithNeighbours(cell: H3Cell): H3Cell[] {
  return gridDisk(cell, 1);
}

/**
 * Every coarse cell that overlaps the box, in no particular order. A superset: a
 * cell that comes near the box without touching it (within its enclosing disc,
 * mostly diagonally off a corner) may be included, but no touching cell is ever missed.
 *
 * Not polygonToCells: it keeps only cells whose centres are inside the box, so it
 * misses cells that merely overlap an edge and returns nothing for a box smaller
 * than a cell, and padding it with gridDisk(..., 1) over-includes a whole ring.
 * Instead, flood-fill from the cell of one corner, adding neighbours while a
 * conservative overlap test passes (lower bound on the distance from the cell's
 * centre to the box <= the cell's circumradius, so no overlapping cell is ever
 * rejected). Cells overlapping a connected box form an edge-connected set (a
 * path inside the box walks from one to the next), so the fill reaches them all;
 * it expands each kept cell once, about as much work as polygonToCells.
 *
 * Throws a RangeError for invalid boxes, antimeridian-crossing boxes, and boxes
 * larger than {@link MAX_BBOX_COARSE_CELLS} cells.
 */
export function coarseCellsInBBox(box: BBox): Set<H3Cell> {
  assertValidBBox(box);
  const avgCellAreaSquareMeters = getHexagonAreaAvg(COARSE_RESOLUTION, 'm2');
  const estimatedCells = bboxAreaSquareMeters(box) / avgCellAreaSquareMeters;
  if (estimatedCells > MAX_BBOX_COARSE_CELLS) {
    throw new RangeError(
      `bbox covers ~${Math.round(estimatedCells)} coarse cells, more than ${MAX_BBOX_COARSE_CELLS}: ${JSON.stringify(box)}`,
    );
  }

  const result = new Set<H3Cell>();
  const rejected = new Set<H3Cell>();
  const frontier: H3Cell[] = [];
  const consider = (cell: H3Cell): void => {
    if (result.has(cell) || rejected.has(cell)) return;
    const disc = cellDisc(cell);
    if (bboxDistanceLowerBoundMeters(box, disc.latRad, disc.lngRad) <= disc.circumradiusMeters) {
      result.add(cell);
      frontier.push(cell);
    } else {
      rejected.add(cell);
    }
  };
  // Any point of the box will do as a seed; the flood fill finds the rest.
  consider(cellOf({ lat: box.south, lng: box.west }, COARSE_RESOLUTION));
  // Safety net for distortion the area estimate did not foresee (small cells near pentagons).
  const hardCap = 2 * MAX_BBOX_COARSE_CELLS;
  for (let cell = frontier.pop(); cell !== undefined; cell = frontier.pop()) {
    for (const neighbour of gridRing(cell, 1)) consider(neighbour);
    if (result.size > hardCap) {
      throw new RangeError(`bbox covers more than ${hardCap} coarse cells: ${JSON.stringify(box)}`);
    }
  }
  return result;
}
