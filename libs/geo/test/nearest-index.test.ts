import fc from 'fast-check';
import { cellToLatLng, getPentagons } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellOf, distanceMeters, NearestIndex, type LatLng, type NearestHit } from '../src/index.ts';
import { bandPoint, bearingDeg, destinationPoint, mulberry32, pointInSquare } from './service-band.ts';

const shanghai = { lat: 31.2304, lng: 121.4737 };

type Filter = (id: string, payload: number, distanceMeters: number) => boolean;

/** The reference answer: every point, exact distance, sorted. */
function bruteForce(
  points: ReadonlyMap<string, { position: LatLng; payload: number }>,
  center: LatLng,
  radiusMeters: number,
  limit: number,
  filter: Filter,
): { id: string; distanceMeters: number }[] {
  return [...points]
    .map(([id, { position, payload }]) => ({ id, payload, distanceMeters: distanceMeters(center, position) }))
    .filter((hit) => hit.distanceMeters <= radiusMeters && filter(hit.id, hit.payload, hit.distanceMeters))
    .sort((a, b) => a.distanceMeters - b.distanceMeters || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}

/** Equal distance sequences, and equal ids wherever distances are not tied. */
function expectSameAnswer(actual: readonly NearestHit<number>[], expected: readonly { id: string; distanceMeters: number }[]): void {
  expect(actual.map((hit) => hit.distanceMeters)).toEqual(expected.map((hit) => hit.distanceMeters));
  expect(actual.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
}

const filters: Record<string, Filter> = {
  all: () => true,
  evenPayload: (_id, payload) => payload % 2 === 0,
  notMultipleOf3: (_id, payload) => payload % 3 !== 0,
  beyond2km: (_id, _payload, meters) => meters > 2_000,
};

describe('NearestIndex basics', () => {
  it('upserts, gets, moves between cells and removes', () => {
    const index = new NearestIndex<string>();
    expect(index.resolution).toBe(7);
    index.upsert('a', shanghai, 'nurse a');
    expect(index.size).toBe(1);
    expect(index.get('a')).toMatchObject({ id: 'a', position: shanghai, cell: '87309959dffffff', payload: 'nurse a' });

    const farAway = destinationPoint(shanghai, 90, 5_000);
    index.upsert('a', farAway, 'nurse a, moved');
    expect(index.size).toBe(1);
    expect(index.get('a')?.cell).toBe(cellOf(farAway, 7));
    expect(index.withinRadius(shanghai, 4_000)).toEqual([]);
    expect(index.withinRadius(farAway, 1).map((hit) => hit.payload)).toEqual(['nurse a, moved']);

    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.get('a')).toBeUndefined();
    expect(index.size).toBe(0);
    expect(index.withinRadius(farAway, 10_000)).toEqual([]);
  });

  it('copies positions, so a caller mutating its object cannot corrupt the index', () => {
    const index = new NearestIndex<null>();
    const position = { lat: 31.2, lng: 121.4 };
    index.upsert('a', position, null);
    position.lat = 40;
    expect(index.get('a')?.position).toEqual({ lat: 31.2, lng: 121.4 });
  });

  it('returns nearest first with exact distances, honouring limit and filter', () => {
    const index = new NearestIndex<number>();
    [500, 1_500, 2_500, 9_000, 11_000].forEach((meters, i) => index.upsert(`n${i}`, destinationPoint(shanghai, i * 70, meters), i));
    const hits = index.nearest(shanghai, { radiusMeters: 10_000 });
    expect(hits.map((hit) => hit.id)).toEqual(['n0', 'n1', 'n2', 'n3']);
    for (const [i, hit] of hits.entries()) expect(hit.distanceMeters).toBeCloseTo([500, 1_500, 2_500, 9_000][i]!, 3);
    expect(index.nearest(shanghai, { radiusMeters: 10_000, limit: 2 }).map((hit) => hit.id)).toEqual(['n0', 'n1']);
    expect(index.nearest(shanghai, { radiusMeters: 10_000, limit: 2, filter: (_id, payload) => payload % 2 === 1 }).map((hit) => hit.id)).toEqual(['n1', 'n3']);
    expect(index.nearest(shanghai, { radiusMeters: 10_000, limit: 0 })).toEqual([]);
    expect(index.nearest(shanghai, { radiusMeters: Number.POSITIVE_INFINITY, limit: 5 }).map((hit) => hit.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  });

  it('rejects invalid arguments', () => {
    const index = new NearestIndex<null>();
    expect(() => new NearestIndex({ resolution: 16 })).toThrow(RangeError);
    expect(() => index.upsert('a', { lat: 91, lng: 0 }, null)).toThrow(RangeError);
    expect(index.size).toBe(0);
    expect(() => index.nearest({ lat: 0, lng: 200 }, { radiusMeters: 1 })).toThrow(RangeError);
    expect(() => index.nearest(shanghai, { radiusMeters: -1 })).toThrow(RangeError);
    expect(() => index.nearest(shanghai, { radiusMeters: Number.NaN })).toThrow(RangeError);
    expect(() => index.nearest(shanghai, { radiusMeters: 1, limit: 1.5 })).toThrow(RangeError);
  });
});

describe('NearestIndex exactness', () => {
  it('never returns a point just outside 10 km, always returns one just inside', () => {
    fc.assert(
      fc.property(
        bandPoint,
        bearingDeg,
        fc.double({ min: 10_000.1, max: 10_050, noNaN: true }),
        bearingDeg,
        fc.double({ min: 9_990, max: 9_999.9, noNaN: true }),
        fc.constantFrom(7, 8),
        (center, outBearing, outMeters, inBearing, inMeters, resolution) => {
          const index = new NearestIndex<number>({ resolution });
          index.upsert('outside', destinationPoint(center, outBearing, outMeters), 0);
          index.upsert('inside', destinationPoint(center, inBearing, inMeters), 1);
          // Decoys keep the index from being so sparse that it only ever full-scans.
          const random = mulberry32(Math.round(center.lat * 1e6));
          for (let i = 0; i < 300; i++) index.upsert(`decoy${i}`, pointInSquare(center, 80_000, random), 2);
          const ids = index.withinRadius(center, 10_000).map((hit) => hit.id);
          expect(ids).not.toContain('outside');
          expect(ids).toContain('inside');
          expect(index.nearest(center, { radiusMeters: 10_000, limit: 1, filter: (_id, payload) => payload !== 2 })[0]?.id).toBe('inside');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches brute force on random clouds, through moves and removes', () => {
    fc.assert(
      fc.property(
        bandPoint,
        fc.integer({ min: 200, max: 2_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(...Object.keys(filters)),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (boxCenter, count, limit, filterName, seed) => {
          const random = mulberry32(seed);
          const filter = filters[filterName]!;
          const index = new NearestIndex<number>();
          const points = new Map<string, { position: LatLng; payload: number }>();
          const put = (id: string, position: LatLng, payload: number): void => {
            index.upsert(id, position, payload);
            points.set(id, { position, payload });
          };
          for (let i = 0; i < count; i++) put(`n${i}`, pointInSquare(boxCenter, 60_000, random), i);

          const check = (): void => {
            for (let q = 0; q < 3; q++) {
              const center = pointInSquare(boxCenter, 60_000, random);
              expectSameAnswer(
                index.nearest(center, { radiusMeters: 10_000, limit, filter }),
                bruteForce(points, center, 10_000, limit, filter),
              );
            }
            const center = pointInSquare(boxCenter, 60_000, random);
            expectSameAnswer(index.withinRadius(center, 10_000), bruteForce(points, center, 10_000, Infinity, filters.all!));
            expect(index.size).toBe(points.size);
          };
          check();

          // Moves: half nudged a little (often the same cell), half jump anywhere.
          for (const id of [...points.keys()].filter(() => random() < 0.3)) {
            const { position, payload } = points.get(id)!;
            const moved = random() < 0.5 ? destinationPoint(position, random() * 360, random() * 1_500) : pointInSquare(boxCenter, 60_000, random);
            put(id, moved, payload);
          }
          for (const id of [...points.keys()].filter(() => random() < 0.3)) {
            expect(index.remove(id)).toBe(true);
            points.delete(id);
          }
          check();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches brute force around the Dalian pentagon (res 7) and across cell resolutions', () => {
    const dalianPentagon = getPentagons(7).find((cell) => {
      const [lat, lng] = cellToLatLng(cell);
      return lat > 38 && lat < 40 && lng > 121 && lng < 123;
    })!;
    const [lat, lng] = cellToLatLng(dalianPentagon);
    const pentagonCenter = { lat, lng };
    fc.assert(
      fc.property(
        fc.constantFrom(6, 7, 8),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 500, max: 15_000, noNaN: true }),
        (resolution, seed, limit, radiusMeters) => {
          const random = mulberry32(seed);
          const index = new NearestIndex<number>({ resolution });
          const points = new Map<string, { position: LatLng; payload: number }>();
          for (let i = 0; i < 1_500; i++) {
            const position = pointInSquare(pentagonCenter, 40_000, random);
            index.upsert(`n${i}`, position, i);
            points.set(`n${i}`, { position, payload: i });
          }
          const center = pointInSquare(pentagonCenter, 20_000, random);
          expectSameAnswer(
            index.nearest(center, { radiusMeters, limit }),
            bruteForce(points, center, radiusMeters, limit, filters.all!),
          );
          expectSameAnswer(index.withinRadius(center, radiusMeters), bruteForce(points, center, radiusMeters, Infinity, filters.all!));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches brute force for sparse, country-wide data and unbounded radii', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 30 }), bandPoint, (seed, limit, center) => {
        const random = mulberry32(seed);
        const index = new NearestIndex<number>();
        const points = new Map<string, { position: LatLng; payload: number }>();
        for (let i = 0; i < 150; i++) {
          const position = { lat: 18 + random() * 35, lng: 73 + random() * 62 };
          index.upsert(`n${i}`, position, i);
          points.set(`n${i}`, { position, payload: i });
        }
        for (const radiusMeters of [10_000, 300_000, Number.POSITIVE_INFINITY]) {
          expectSameAnswer(index.nearest(center, { radiusMeters, limit }), bruteForce(points, center, radiusMeters, limit, filters.all!));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('matches brute force on dense clouds, where the ring walk runs to the radius', () => {
    fc.assert(
      fc.property(bandPoint, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(7, 8), (boxCenter, seed, resolution) => {
        const random = mulberry32(seed);
        const index = new NearestIndex<number>({ resolution });
        const points = new Map<string, { position: LatLng; payload: number }>();
        for (let i = 0; i < 20_000; i++) {
          const position = pointInSquare(boxCenter, 30_000, random);
          index.upsert(`n${i}`, position, i);
          points.set(`n${i}`, { position, payload: i });
        }
        for (let q = 0; q < 3; q++) {
          const center = pointInSquare(boxCenter, 30_000, random);
          const radiusMeters = 2_000 + random() * 8_000;
          expectSameAnswer(index.withinRadius(center, radiusMeters), bruteForce(points, center, radiusMeters, Infinity, filters.all!));
          expectSameAnswer(
            index.nearest(center, { radiusMeters, limit: 400, filter: filters.notMultipleOf3 }),
            bruteForce(points, center, radiusMeters, 400, filters.notMultipleOf3!),
          );
        }
      }),
      { numRuns: 12 },
    );
  });

  it('resolves equal distances by id', () => {
    const index = new NearestIndex<number>();
    for (const id of ['c', 'a', 'b']) index.upsert(id, shanghai, 0);
    expect(index.nearest(shanghai, { radiusMeters: 1, limit: 2 }).map((hit) => hit.id)).toEqual(['a', 'b']);
  });
});
