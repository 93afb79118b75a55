import { gridRing } from 'h3-js';

/**
 * gridRing(origin, k), cached. H3's topology never changes, and orders keep coming
 * from the same few thousand cells of a city, so a ring is computed once and then
 * reused: without the cache, turning ring indexes into strings (~1.2 us per cell) is
 * most of a nearest-nurse query. Clear-when-full bounds memory (~60 MB at the cap)
 * without LRU bookkeeping on the hot path.
 */
const MAX_CACHED_RING_CELLS = 1 << 20;
const rings = new Map<string, string[][]>();
let cachedCells = 0;

export function cachedGridRing(origin: string, k: number): readonly string[] {
  let byK = rings.get(origin);
  if (byK === undefined) {
    if (cachedCells >= MAX_CACHED_RING_CELLS) {
      rings.clear();
      cachedCells = 0;
    }
    byK = [[origin]];
    rings.set(origin, byK);
  }
  let ring = byK[k];
  if (ring === undefined) {
    // Rings are asked for in order (k = 0, 1, 2, ...), so fill any gap below k too.
    for (let i = byK.length; i <= k; i++) {
      byK[i] = gridRing(origin, i);
      cachedCells += byK[i]!.length;
    }
    ring = byK[k]!;
  }
  return ring;
}
