import { latLngToCell } from 'h3-js';
import { cellDisc, type CellDisc } from './cell-geometry.ts';
import { assertValidResolution, type H3Cell } from './cells.ts';
import { haversineMetersFromRadians, RADIANS_PER_DEGREE } from './distance.ts';
import { assertValidLatLng, type LatLng } from './lat-lng.ts';
import { NearestCollector, type NearestFilter, type NearestHit } from './nearest-collector.ts';
import { cachedGridRing } from './ring-cache.ts';

/** A point held by a {@link NearestIndex}, as returned by `get`. */
export type IndexedPoint<T> = {
  readonly id: string;
  readonly position: LatLng;
  /** The point's H3 cell at the index's resolution. */
  readonly cell: H3Cell;
  readonly payload: T;
};

/** Construction options for {@link NearestIndex}. */
export type NearestIndexOptions = {
  /**
   * H3 resolution of the buckets (default 7, ~1.2 km edges at 18-53N). Finer
   * means fewer points scanned per cell but more cells per ring; 7 suits nurse
   * densities from a few per district to thousands per city.
   */
  readonly resolution?: number;
};

/** Parameters of {@link NearestIndex.nearest}. */
export type NearestQuery<T> = {
  /** Inclusive haversine radius; Infinity is allowed (nearest regardless of distance). */
  readonly radiusMeters: number;
  /** Max hits, a non-negative integer; omitted means all within the radius. */
  readonly limit?: number;
  readonly filter?: NearestFilter<T>;
};

/** Default bucket resolution of {@link NearestIndex}. */
export const DEFAULT_NEAREST_INDEX_RESOLUTION = 7;

// Relative costs measured on Node 20: visiting a ring cell (~1.2 us, mostly h3-js
// turning indexes into strings) is worth ~40 point distance checks (~30 ns each),
// and checking a bucket's lower bound ~2. The ring walk gives up for a full scan
// once it would cost more than scanning everything: sparse data, huge radii and
// radius Infinity all end up there, so the walk is bounded.
const RING_CELL_COST_POINTS = 40;
const BUCKET_COST_POINTS = 2;

/**
 * A cell's points, struct-of-arrays: a scan reads three doubles per point from one
 * contiguous array instead of dereferencing an object per point, which at city
 * densities is the difference between cache hits and a cache miss per nurse.
 */
type Bucket<T> = {
  /** Cached here so full scans need no cell-keyed lookups. */
  readonly disc: CellDisc;
  /** latRad, cosLat, lngRad of point i at [3i, 3i+1, 3i+2]; grown by doubling. */
  coords: Float64Array;
  readonly entries: Entry<T>[];
};

type Entry<T> = IndexedPoint<T> & {
  /** Position in its bucket, for O(1) swap-removal. */
  slot: number;
};

/**
 * In-process spatial index for dispatch matching: id -> (position, payload),
 * bucketed by H3 cell, answering exact "nearest within radius" queries.
 *
 * Exactness of {@link nearest}: rings around the query's cell are visited
 * k = 0, 1, 2, ... (gridRing, pentagon-safe). Every cell has a lower bound
 * LB = d(center, cellCentre) - circumradius(cell) on the distance to any of its
 * points; let B_k be the minimum LB over ring k. The centre is in ring 0, and a
 * geodesic from it that leaves the (k-1)-disc steps straight into a ring-k cell
 * (the first cell outside the disc is adjacent to it), so every point outside
 * the (k-1)-disc, ring k included, is at least B_k away. After ring k the walk
 * stops when B_k > radiusMeters, or when `limit` hits are kept and all are
 * strictly closer than B_k; cells whose own LB exceeds the current cut-off are
 * skipped. B_k is measured from the cells themselves, not derived from an
 * average edge length, so it holds at any latitude, through H3's anisotropy and
 * next to pentagons. On a regular grid of edge e it is about (1.5k - 1) * e minus
 * the centre's offset from its cell centre, i.e. no worse than (1.5k - 2) * e.
 * When the walk would cost more than scanning every bucket (sparse data, very
 * large or infinite radius), it switches to a full scan, with the same result.
 */
export class NearestIndex<T> {
  /** H3 resolution of the buckets. */
  readonly resolution: number;
  private readonly byId = new Map<string, Entry<T>>();
  private readonly buckets = new Map<H3Cell, Bucket<T>>();

  /** Creates an empty index; see {@link NearestIndexOptions}. */
  constructor(options: NearestIndexOptions = {}) {
    const resolution = options.resolution ?? DEFAULT_NEAREST_INDEX_RESOLUTION;
    assertValidResolution(resolution);
    this.resolution = resolution;
  }

  /** Number of points held. */
  get size(): number {
    return this.byId.size;
  }

  /** Inserts or replaces the point `id`, moving it between buckets when its cell changes. */
  upsert(id: string, position: LatLng, payload: T): void {
    assertValidLatLng(position);
    const entry: Entry<T> = {
      id,
      // Copied so a caller mutating its object cannot desynchronise cell and position.
      position: { lat: position.lat, lng: position.lng },
      cell: latLngToCell(position.lat, position.lng, this.resolution),
      payload,
      slot: -1,
    };
    const previous = this.byId.get(id);
    let bucket: Bucket<T>;
    if (previous !== undefined && previous.cell === entry.cell) {
      bucket = this.bucketOf(entry.cell);
      entry.slot = previous.slot;
      bucket.entries[entry.slot] = entry;
    } else {
      if (previous !== undefined) this.detach(previous);
      bucket = this.bucketOf(entry.cell);
      entry.slot = bucket.entries.length;
      bucket.entries.push(entry);
      if (bucket.coords.length < 3 * bucket.entries.length) {
        const grown = new Float64Array(2 * bucket.coords.length);
        grown.set(bucket.coords);
        bucket.coords = grown;
      }
    }
    const latRad = position.lat * RADIANS_PER_DEGREE;
    bucket.coords[3 * entry.slot] = latRad;
    bucket.coords[3 * entry.slot + 1] = Math.cos(latRad);
    bucket.coords[3 * entry.slot + 2] = position.lng * RADIANS_PER_DEGREE;
    this.byId.set(id, entry);
  }

  /** Removes the point `id`; returns whether it was present. */
  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (entry === undefined) return false;
    this.detach(entry);
    this.byId.delete(id);
    return true;
  }

  /** The point `id`, or undefined. */
  get(id: string): IndexedPoint<T> | undefined {
    return this.byId.get(id);
  }

  /**
   * Exact k-nearest within a radius: every point within `radiusMeters` of
   * `center` (haversine, inclusive) that passes `filter`, nearest first, ties by
   * id, at most `limit` of them. Throws RangeError on invalid arguments.
   */
  nearest(center: LatLng, query: NearestQuery<T>): NearestHit<T>[] {
    assertValidLatLng(center, 'query center');
    const { radiusMeters, limit = Infinity, filter } = query;
    if (Number.isNaN(radiusMeters) || radiusMeters < 0) {
      throw new RangeError(`radiusMeters must be >= 0, got ${radiusMeters}`);
    }
    if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) {
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    }
    const collector = new NearestCollector<T>(limit, radiusMeters, filter);
    if (limit === 0 || this.byId.size === 0) return collector.sorted();

    const latRad = center.lat * RADIANS_PER_DEGREE;
    const cosLat = Math.cos(latRad);
    const lngRad = center.lng * RADIANS_PER_DEGREE;
    const lowerBoundMeters = (disc: CellDisc): number =>
      haversineMetersFromRadians(latRad, cosLat, lngRad, disc.latRad, disc.cosLat, disc.lngRad) -
      disc.circumradiusMeters;
    // Most points of a scanned cell lie beyond the current cut-off; comparing against a
    // local copy of it spares them the call into the collector.
    let cutoffMeters = collector.cutoffMeters;
    const scan = (bucket: Bucket<T>): void => {
      const { coords, entries } = bucket;
      for (let i = 0, n = entries.length; i < n; i++) {
        const distance = haversineMetersFromRadians(latRad, cosLat, lngRad, coords[3 * i]!, coords[3 * i + 1]!, coords[3 * i + 2]!);
        if (distance > cutoffMeters) continue;
        const entry = entries[i]!;
        collector.offer(entry.id, entry.payload, distance);
        cutoffMeters = collector.cutoffMeters;
      }
    };

    const origin = latLngToCell(center.lat, center.lng, this.resolution);
    const scanned: Bucket<T>[] = [];
    const fullScanCostPoints = this.byId.size + BUCKET_COST_POINTS * this.buckets.size;
    // Without a limit the walk cannot stop early, so if the radius alone needs more
    // rings than a full scan costs, skip the walk. k is estimated from the origin
    // cell's size (circumradius ~ edge length); it only picks the strategy.
    const originDisc = this.buckets.get(origin)?.disc ?? cellDisc(origin);
    const estimatedRings = Math.ceil(radiusMeters / (1.5 * originDisc.circumradiusMeters)) + 1;
    const estimatedWalkCells = 1 + 3 * estimatedRings * (estimatedRings + 1);
    const walk = limit !== Infinity || estimatedWalkCells * RING_CELL_COST_POINTS <= fullScanCostPoints;
    let visitedCells = 0;
    for (let k = 0; walk; k++) {
      visitedCells += k === 0 ? 1 : 6 * k;
      if (visitedCells * RING_CELL_COST_POINTS > fullScanCostPoints) break;
      const ring = cachedGridRing(origin, k);
      let ringLowerBoundMeters = Infinity;
      for (const cell of ring) {
        const bucket = this.buckets.get(cell);
        const cellLowerBoundMeters = lowerBoundMeters(bucket?.disc ?? cellDisc(cell));
        if (cellLowerBoundMeters < ringLowerBoundMeters) ringLowerBoundMeters = cellLowerBoundMeters;
        if (bucket === undefined || cellLowerBoundMeters > collector.cutoffMeters) continue;
        scanned.push(bucket);
        scan(bucket);
      }
      if (ringLowerBoundMeters > radiusMeters || collector.isSettled(ringLowerBoundMeters)) {
        return collector.sorted();
      }
    }

    // Full scan of the buckets the walk has not scanned; still exact. (Near a
    // pentagon a ring has fewer than 6k cells, which only makes the budget stricter.)
    const alreadyScanned = new Set(scanned);
    for (const bucket of this.buckets.values()) {
      if (alreadyScanned.has(bucket)) continue;
      if (lowerBoundMeters(bucket.disc) > collector.cutoffMeters) continue;
      scan(bucket);
    }
    return collector.sorted();
  }

  /** All points within `radiusMeters` of `center`, nearest first: {@link nearest} with no limit. */
  withinRadius(center: LatLng, radiusMeters: number): NearestHit<T>[] {
    return this.nearest(center, { radiusMeters });
  }

  private bucketOf(cell: H3Cell): Bucket<T> {
    let bucket = this.buckets.get(cell);
    if (bucket === undefined) {
      bucket = { disc: cellDisc(cell), coords: new Float64Array(3 * 4), entries: [] };
      this.buckets.set(cell, bucket);
    }
    return bucket;
  }

  private detach(entry: Entry<T>): void {
    const bucket = this.buckets.get(entry.cell);
    if (bucket === undefined) return;
    const { entries, coords } = bucket;
    const last = entries.pop();
    if (last !== undefined && last !== entry) {
      entries[entry.slot] = last;
      coords.copyWithin(3 * entry.slot, 3 * last.slot, 3 * last.slot + 3);
      last.slot = entry.slot;
    }
    if (entries.length === 0) this.buckets.delete(entry.cell);
  }
}
