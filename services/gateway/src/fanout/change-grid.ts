import type { BBox } from '@nursing/geo';
import { inBox } from './map-position.ts';

/** Grid step in degrees: ~1.1 km of latitude, a few cells across a district's map. */
export const GRID_STEP_DEG = 0.01;
/** Columns per row in a cell key: more than 360 / GRID_STEP_DEG, so keys never collide. */
const ROW_STRIDE = 100_000;

/** Calls `visit` for each entry inside `box` (inclusive): the plain scan the grid saves. */
export function forEachInBox<T extends { p: { lat: number; lng: number } }>(entries: Iterable<T>, box: BBox, visit: (e: T) => void): void {
  for (const e of entries) if (inBox(e.p, box)) visit(e);
}

const rowOf = (lat: number): number => Math.floor((lat + 90) / GRID_STEP_DEG);
const colOf = (lng: number): number => Math.floor((lng + 180) / GRID_STEP_DEG);

/**
 * One flush's changed positions, grouped by a fixed lat/lng grid, so that each view
 * visits only the grid cells its box touches. With many district-sized maps, scanning
 * every change for every view cost more than building the frames (n views x m changes).
 * A box that spans more grid cells than there are changes is served by a plain scan.
 */
export function createChangeGrid<T extends { p: { lat: number; lng: number } }>(changed: readonly T[]) {
  let cells: Map<number, T[]> | undefined;

  function grouped(): Map<number, T[]> {
    if (cells) return cells;
    cells = new Map();
    for (const e of changed) {
      const key = rowOf(e.p.lat) * ROW_STRIDE + colOf(e.p.lng);
      const list = cells.get(key);
      if (list) list.push(e);
      else cells.set(key, [e]);
    }
    return cells;
  }

  return {
    /** Calls `visit` for each change inside `box` (inclusive), each once. */
    forEachIn(box: BBox, visit: (e: T) => void): void {
      const r0 = rowOf(box.south);
      const r1 = rowOf(box.north);
      const c0 = colOf(box.west);
      const c1 = colOf(box.east);
      if ((r1 - r0 + 1) * (c1 - c0 + 1) >= changed.length) return forEachInBox(changed, box, visit);
      const byCell = grouped();
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const list = byCell.get(r * ROW_STRIDE + c);
          // Cells on the box's edge hold positions outside it too; inner ones could skip the test, but it is cheap.
          if (list) forEachInBox(list, box, visit);
        }
      }
    },
  };
}

export type ChangeGrid<T extends { p: { lat: number; lng: number } }> = ReturnType<typeof createChangeGrid<T>>;
