/** One answer from a nearest-neighbour query. */
export type NearestHit<T> = {
  readonly id: string;
  readonly payload: T;
  readonly distanceMeters: number;
};

/**
 * Decides whether an entry may be returned. Called at most once per entry and
 * query, and only for entries within the radius that would make the current
 * result, so it does not see every entry; keep it pure and cheap.
 */
export type NearestFilter<T> = (id: string, payload: T, distanceMeters: number) => boolean;

/**
 * Keeps the best `limit` hits within a radius, ordered by (distance, id) so ties
 * resolve the same way every time. A max-heap on that order: the root is the
 * worst kept hit, the one a better candidate evicts. With no limit it is just a
 * list sorted at the end.
 */
export class NearestCollector<T> {
  private readonly hits: NearestHit<T>[] = [];

  /**
   * @param limit max hits to keep, Infinity for all
   * @param radiusMeters inclusive distance cut-off
   */
  constructor(
    private readonly limit: number,
    private readonly radiusMeters: number,
    private readonly filter: NearestFilter<T> | undefined,
  ) {}

  /** Candidates (and whole cells) farther than this cannot make the result. */
  get cutoffMeters(): number {
    const worst = this.worstIfFull();
    return worst === undefined ? this.radiusMeters : worst.distanceMeters;
  }

  /**
   * True once the result cannot change: `limit` hits are kept and every one is
   * strictly closer than `lowerBoundMeters`, the minimum distance of anything not
   * yet offered. Strict so that an unseen tie with a smaller id cannot be skipped.
   */
  isSettled(lowerBoundMeters: number): boolean {
    const worst = this.worstIfFull();
    return worst !== undefined && worst.distanceMeters < lowerBoundMeters;
  }

  /** Considers one entry; `distanceMeters` must come from the library's haversine. */
  offer(id: string, payload: T, distanceMeters: number): void {
    if (distanceMeters > this.radiusMeters) return;
    const worst = this.worstIfFull();
    if (worst !== undefined && !precedes(distanceMeters, id, worst)) return;
    if (this.filter !== undefined && !this.filter(id, payload, distanceMeters)) return;

    const hit: NearestHit<T> = { id, payload, distanceMeters };
    if (this.limit === Infinity) {
      this.hits.push(hit);
    } else if (worst === undefined) {
      this.hits.push(hit);
      this.siftUp(this.hits.length - 1);
    } else {
      this.hits[0] = hit;
      this.siftDown(0);
    }
  }

  /** The kept hits, nearest first (ties by id). Call once, at the end. */
  sorted(): NearestHit<T>[] {
    return this.hits.sort(
      (a, b) => a.distanceMeters - b.distanceMeters || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  private worstIfFull(): NearestHit<T> | undefined {
    return this.hits.length >= this.limit ? this.hits[0] : undefined;
  }

  private siftUp(index: number): void {
    const { hits } = this;
    const hit = hits[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = hits[parentIndex]!;
      if (!precedes(parent.distanceMeters, parent.id, hit)) break;
      hits[index] = parent;
      index = parentIndex;
    }
    hits[index] = hit;
  }

  private siftDown(index: number): void {
    const { hits } = this;
    const hit = hits[index]!;
    for (;;) {
      let worstIndex = index;
      let worst = hit;
      for (let childIndex = 2 * index + 1; childIndex <= 2 * index + 2; childIndex++) {
        const child = hits[childIndex];
        if (child !== undefined && precedes(worst.distanceMeters, worst.id, child)) {
          worstIndex = childIndex;
          worst = child;
        }
      }
      if (worstIndex === index) break;
      hits[index] = worst;
      index = worstIndex;
    }
    hits[index] = hit;
  }
}

/** True when (distanceMeters, id) orders strictly before `hit`. */
function precedes(distanceMeters: number, id: string, hit: NearestHit<unknown>): boolean {
  return distanceMeters < hit.distanceMeters || (distanceMeters === hit.distanceMeters && id < hit.id);
}
