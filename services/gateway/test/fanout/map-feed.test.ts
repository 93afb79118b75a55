import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { natsSubjects, redisKeys, type NursePosition } from '@nursing/contracts';
import { coarseCellOf, coarseCellsInBBox } from '@nursing/geo';
import { createLogger } from '@nursing/logging';
import { createServiceMetrics } from '@nursing/service-kit';
import { useSharedInfra, waitFor, type SharedInfra } from '@nursing/testing';
import { createCellHub, type CellHub } from '../../src/fanout/cell-hub.ts';
import { createMapFeed, type MapFeed, type MapViewer } from '../../src/fanout/map-feed.ts';
import { createNurseInstitutions } from '../../src/fanout/nurse-institutions.ts';
import { createStatusHub } from '../../src/fanout/status-hub.ts';
import { CITY_BOX, PEOPLES_SQUARE, north, seedNurse } from '../fixtures.ts';

const FLUSH_MS = 40;

interface TestViewer extends MapViewer {
  received: Buffer[];
  open: boolean;
}

function viewer(institution: string | null): TestViewer {
  const v: TestViewer = {
    box: CITY_BOX,
    institution,
    received: [],
    open: true,
    canSend: () => v.open,
    send: (frame) => void v.received.push(frame),
  };
  return v;
}

const nursesIn = (frames: Buffer[]) => frames.flatMap((b) => (JSON.parse(b.toString()) as { nurses: Array<{ nurseId: string; lat: number; atMs: number }> }).nurses);

describe('map feed: one frame per view, shared by its viewers', () => {
  let infra: SharedInfra;
  let nc: NatsConnection;
  let redis: Redis;
  let feed: MapFeed;
  let cellHub: CellHub;
  const metrics = createServiceMetrics({ processMetrics: false });
  const encoder = new TextEncoder();
  let atMs = Date.now();

  const move = (nurseId: string, metres: number): NursePosition => {
    const p: NursePosition = { nurseId, ...north(PEOPLES_SQUARE, metres), atMs: ++atMs };
    nc.publish(natsSubjects(infra.ns).locations(coarseCellOf(p), 'another-gateway'), encoder.encode(JSON.stringify([p])));
    return p;
  };
  /** A position this instance is storing itself: handed over synchronously, as the gateway does with each batch it writes. */
  const storedHere = (nurseId: string, metres: number, fixAtMs = ++atMs): NursePosition => {
    const p: NursePosition = { nurseId, ...north(PEOPLES_SQUARE, metres), atMs: fixAtMs };
    cellHub.local(new Map([[coarseCellOf(p), [p]]]));
    return p;
  };

  beforeAll(async () => {
    infra = await useSharedInfra();
    nc = await connect({ servers: infra.natsUrl });
    redis = new Redis(infra.redisUrl);
    const keys = redisKeys(infra.ns);
    await seedNurse(redis, keys, 'n-feed-1', 'inst-a');
    await seedNurse(redis, keys, 'n-feed-2', 'inst-a');
    const log = createLogger({ name: 'test', level: 'silent' });
    const subjects = natsSubjects(infra.ns);
    const now = () => Date.now();
    cellHub = createCellHub({ nc, subjects, log, origin: 'this-gateway' });
    const statusHub = createStatusHub({ nc, subjects, log });
    feed = createMapFeed({ cellHub, statusHub, institutions: createNurseInstitutions({ redis, keys, now }), metrics, log, now, flushMs: FLUSH_MS });
  });
  afterAll(async () => {
    feed?.stop();
    await nc?.drain();
    redis?.disconnect();
    await infra?.cleanup();
  });

  it('sends the same frame to viewers with the same view, and anonymises for another institution', async () => {
    const a1 = viewer('inst-a');
    const a2 = viewer('inst-a');
    const b = viewer('inst-b');
    for (const v of [a1, a2, b]) feed.watch(v, coarseCellsInBBox(CITY_BOX)).ready();
    await nc.flush();

    move('n-feed-1', 10);
    await waitFor(() => a1.received.length > 0 && a2.received.length > 0 && b.received.length > 0, { timeoutMs: 2_000 });
    expect(a1.received[0]).toBe(a2.received[0]);
    expect(nursesIn(a1.received)).toEqual([expect.objectContaining({ nurseId: 'n-feed-1', lat: north(PEOPLES_SQUARE, 10).lat })]);
    expect(nursesIn(b.received)[0]?.nurseId).toMatch(/^anon-[0-9a-f]{8}$/);
    for (const v of [a1, a2, b]) feed.leave(v);
    expect(feed.stats()).toEqual({ viewers: 0, cells: 0, nurses: 0 });
  });

  it('gives a viewer that could not take frames the latest of each nurse that moved, once', async () => {
    const slow = viewer('inst-a');
    const steady = viewer('inst-a');
    feed.watch(slow, coarseCellsInBBox(CITY_BOX)).ready();
    feed.watch(steady, coarseCellsInBBox(CITY_BOX)).ready();
    await nc.flush();
    slow.open = false;

    let last1: NursePosition | undefined;
    for (let i = 1; i <= 5; i++) {
      last1 = move('n-feed-1', 100 + i);
      await new Promise((r) => setTimeout(r, FLUSH_MS));
    }
    const last2 = move('n-feed-2', 300);
    await waitFor(() => nursesIn(steady.received).some((p) => p.atMs === last2.atMs), { timeoutMs: 2_000 });
    // The steady viewer saw the moves frame by frame; the slow one nothing yet.
    expect(steady.received.length).toBeGreaterThan(1);
    expect(slow.received).toHaveLength(0);

    slow.open = true;
    await waitFor(() => slow.received.length > 0, { timeoutMs: 2_000 });
    const caughtUp = nursesIn(slow.received.slice(0, 1));
    expect(caughtUp).toHaveLength(2);
    expect(caughtUp).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nurseId: 'n-feed-1', atMs: last1!.atMs }),
        expect.objectContaining({ nurseId: 'n-feed-2', atMs: last2.atMs }),
      ]),
    );
    feed.leave(slow);
    feed.leave(steady);
  });

  it('keeps sending frames on time while positions arrive and no timer can run', async () => {
    const v = viewer('inst-a');
    feed.watch(v, coarseCellsInBBox(CITY_BOX)).ready();
    // The first position of a nurse may wait for her institution (a Redis read); later ones do not.
    const first = storedHere('n-feed-2', 1);
    await waitFor(() => nursesIn(v.received).some((p) => p.atMs === first.atMs), { timeoutMs: 2_000 });
    const before = v.received.length;

    // One synchronous stretch of 8 intervals, as when the poll phase reads socket after
    // socket under load: timers cannot fire inside it, positions keep coming.
    const until = performance.now() + 8 * FLUSH_MS;
    let metres = 2;
    while (performance.now() < until) storedHere('n-feed-2', metres++ % 500);
    const during = v.received.slice(before);

    expect(during.length).toBeGreaterThanOrEqual(6);
    expect(during.length).toBeLessThanOrEqual(9);
    const times = nursesIn(during).map((p) => p.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    feed.leave(v);
  });

  it('measures how old positions are when their frame is built', async () => {
    const ageOf = async () => {
      const { values } = await metrics.histogram('mapPositionAge').get();
      const pick = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
      return { count: pick('hn_map_position_age_seconds_count'), sum: pick('hn_map_position_age_seconds_sum') };
    };
    const v = viewer('inst-a');
    feed.watch(v, coarseCellsInBBox(CITY_BOX)).ready();
    const before = await ageOf();
    // A fix the phone took 300 ms ago: it cannot reach a map younger than that.
    const fix = storedHere('n-feed-1', 700, Date.now() - 300);
    await waitFor(() => nursesIn(v.received).some((p) => p.atMs === fix.atMs), { timeoutMs: 2_000 });
    const after = await ageOf();
    expect(after.count - before.count).toBe(1);
    expect(after.sum - before.sum).toBeGreaterThanOrEqual(0.3);
    expect(after.sum - before.sum).toBeLessThan(0.3 + FLUSH_MS / 1000 + 0.5);
    feed.leave(v);
  });

  it('keeps feeding the other maps, and the nurse storing positions, when one map cannot take a frame', async () => {
    const broken = viewer('inst-a');
    let failures = 0;
    broken.send = () => {
      failures++;
      throw new Error('socket gone');
    };
    const good = viewer('inst-a');
    feed.watch(broken, coarseCellsInBBox(CITY_BOX)).ready();
    feed.watch(good, coarseCellsInBBox(CITY_BOX)).ready();
    const first = storedHere('n-feed-1', 800);
    await waitFor(() => nursesIn(good.received).some((p) => p.atMs === first.atMs), { timeoutMs: 2_000 });

    // Positions handed over while flushes are due: whatever a map does, the caller (a batch write) does not see it.
    const until = performance.now() + 4 * FLUSH_MS;
    let last: NursePosition | undefined;
    expect(() => {
      while (performance.now() < until) last = storedHere('n-feed-1', 900);
    }).not.toThrow();
    await waitFor(() => nursesIn(good.received).some((p) => p.atMs === last!.atMs), { timeoutMs: 2_000 });
    expect(failures).toBeGreaterThanOrEqual(3);
    feed.leave(broken);
    feed.leave(good);
  });

  it('sends a lone position that came between flushes on the timer, flush after flush', async () => {
    const v = viewer('inst-a');
    feed.watch(v, coarseCellsInBBox(CITY_BOX)).ready();
    // Each position follows right on the flush that carried the one before: no later position
    // finds its flush due, so only the timer, re-armed by every flush, can send it.
    for (let i = 0; i < 4; i++) {
      const p = storedHere('n-feed-2', 1_000 + i);
      await waitFor(() => nursesIn(v.received).some((seen) => seen.atMs === p.atMs), { timeoutMs: 1_000, intervalMs: 2 });
    }
    feed.leave(v);
  });
});
