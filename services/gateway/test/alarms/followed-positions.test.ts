import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { natsSubjects, redisKeys, type NursePosition } from '@nursing/contracts';
import { coarseCellOf, coarseCellWithNeighbours, type LatLng } from '@nursing/geo';
import { createLogger } from '@nursing/logging';
import { createPresenceStore, type PresenceStore } from '@nursing/presence';
import { useSharedInfra, waitFor, type SharedInfra } from '@nursing/testing';
import { createFollowedPositions, type FollowedPositions } from '../../src/alarms/followed-positions.ts';
import { PEOPLES_SQUARE, north } from '../fixtures.ts';

/** Far outside People's Square's ring of cells: Beijing. */
const TIANANMEN = { lat: 39.9087, lng: 116.3975 };
const sorted = (cells: Iterable<string>) => [...cells].sort();

/**
 * Following an alarming nurse costs the subjects of the cells around her, not the whole
 * location stream: checked against real NATS, with positions stored and published by
 * the presence store as the gateway does.
 */
describe('followed positions: the cells around each alarming nurse', () => {
  let infra: SharedInfra;
  let nc: NatsConnection;
  let redis: Redis;
  let presence: PresenceStore;
  let followed: FollowedPositions;
  let got: NursePosition[] = [];
  let atMs = Date.now();

  /** Stores and publishes a fix, as a gateway does with each batch. */
  const report = async (nurseId: string, where: LatLng): Promise<NursePosition> => {
    const p: NursePosition = { nurseId, ...where, atMs: ++atMs };
    await presence.recordPositions([p]);
    return p;
  };
  const gotOf = (nurseId: string) => got.filter((p) => p.nurseId === nurseId);

  beforeAll(async () => {
    infra = await useSharedInfra();
    nc = await connect({ servers: infra.natsUrl });
    redis = new Redis(infra.redisUrl);
    const subjects = natsSubjects(infra.ns);
    presence = createPresenceStore({ redis, nc, keys: redisKeys(infra.ns), subjects });
    followed = createFollowedPositions({
      nc,
      subjects,
      log: createLogger({ name: 'test', level: 'silent' }),
      onPosition: (p) => void got.push(p),
      locate: (id) => presence.getPosition(id),
    });
  });
  afterEach(() => {
    followed.stop();
    got = [];
  });
  afterAll(async () => {
    followed?.stop();
    await nc?.drain();
    redis?.disconnect();
    await infra?.cleanup();
  });

  it("subscribes to her cell and its ring only, and passes on each of her fixes once, no one else's", async () => {
    followed.follow('fp-1', { ...PEOPLES_SQUARE, atMs: atMs });
    expect(sorted(followed.watched().cells)).toEqual(sorted(coarseCellWithNeighbours(coarseCellOf(PEOPLES_SQUARE))));
    expect(followed.watched().everywhere).toBe(false);
    await nc.flush();

    const fixes = [];
    for (let i = 1; i <= 5; i++) fixes.push(await report('fp-1', north(PEOPLES_SQUARE, i * 20)));
    await report('fp-bystander', PEOPLES_SQUARE);
    await waitFor(() => gotOf('fp-1').length === 5, { message: 'five fixes of fp-1' });
    await sleep(100);
    expect(got).toEqual(fixes);
  });

  it('re-centres as she crosses into the next cell, so she stays in sight cell after cell', async () => {
    const start = coarseCellOf(PEOPLES_SQUARE);
    followed.follow('fp-2', { ...PEOPLES_SQUARE, atMs: atMs });
    await nc.flush();
    // North in ~1.5 km steps (at full rate she moves metres; a coarse cell is ~17 km across):
    // every fix lands inside the ring of the cell the previous one was in.
    let where = PEOPLES_SQUARE;
    const cellsVisited = new Set<string>([start]);
    for (let i = 0; i < 30; i++) {
      where = north(where, 1_500);
      const p = await report('fp-2', where);
      await waitFor(() => gotOf('fp-2').at(-1)?.atMs === p.atMs, { message: `fix ${i} of fp-2` });
      cellsVisited.add(coarseCellOf(where));
      await nc.flush();
    }
    // 45 km north: several cells on, and no longer near the start.
    expect(cellsVisited.size).toBeGreaterThanOrEqual(3);
    expect(gotOf('fp-2')).toHaveLength(30);
    expect(sorted(followed.watched().cells)).toEqual(sorted(coarseCellWithNeighbours(coarseCellOf(where))));
    expect(followed.watched().cells).not.toContain(start);
  });

  it('finds her from her stored position after a jump past her ring (an app offline for a long drive)', async () => {
    followed.follow('fp-3', { ...PEOPLES_SQUARE, atMs: atMs });
    await nc.flush();
    const far = await report('fp-3', TIANANMEN);
    await sleep(300);
    // Published on a subject nobody here listens to.
    expect(gotOf('fp-3')).toEqual([]);

    await followed.relocate();
    expect(gotOf('fp-3')).toEqual([far]);
    expect(sorted(followed.watched().cells)).toEqual(sorted(coarseCellWithNeighbours(coarseCellOf(TIANANMEN))));
    // Nothing newer: a second look passes nothing on again.
    await followed.relocate();
    expect(gotOf('fp-3')).toHaveLength(1);

    await nc.flush();
    const next = await report('fp-3', north(TIANANMEN, 30));
    await waitFor(() => gotOf('fp-3').length === 2, { message: 'her next fix near Tiananmen' });
    expect(gotOf('fp-3')[1]).toEqual(next);
  });

  it('centres on her stored position when the alarm has none, without passing an old fix on', async () => {
    const old = await report('fp-4', TIANANMEN);
    followed.follow('fp-4');
    await waitFor(() => followed.watched().cells.includes(coarseCellOf(TIANANMEN)), { message: 'centred on her stored position' });
    expect(followed.watched().everywhere).toBe(false);
    await followed.relocate();
    expect(gotOf('fp-4')).toEqual([]);
    expect(old.nurseId).toBe('fp-4');
  });

  it('looks for a nurse with no position anywhere at all, only until her first fix', async () => {
    followed.follow('fp-5');
    await waitFor(() => followed.watched().everywhere, { message: 'a subscription to every batch' });
    await sleep(50); // her stored position was looked up: there is none
    expect(followed.watched().cells).toEqual([]);
    await nc.flush();

    const first = await report('fp-5', TIANANMEN);
    await waitFor(() => gotOf('fp-5').length === 1, { message: 'her first fix, wherever it is' });
    expect(gotOf('fp-5')).toEqual([first]);
    expect(followed.watched().everywhere).toBe(false);
    expect(sorted(followed.watched().cells)).toEqual(sorted(coarseCellWithNeighbours(coarseCellOf(TIANANMEN))));
  });

  it('keeps a cell two nurses share until the last of them is unfollowed', async () => {
    followed.follow('fp-6', { ...PEOPLES_SQUARE, atMs: atMs });
    followed.follow('fp-7', { ...north(PEOPLES_SQUARE, 100), atMs: atMs });
    const ring = sorted(coarseCellWithNeighbours(coarseCellOf(PEOPLES_SQUARE)));
    expect(sorted(followed.watched().cells)).toEqual(ring);
    followed.unfollow('fp-6');
    expect(sorted(followed.watched().cells)).toEqual(ring);
    await nc.flush();
    const p = await report('fp-7', north(PEOPLES_SQUARE, 120));
    await report('fp-6', north(PEOPLES_SQUARE, 140));
    await waitFor(() => gotOf('fp-7').length === 1, { message: 'fp-7 still followed' });
    await sleep(100);
    expect(got).toEqual([p]);
    followed.unfollow('fp-7');
    expect(followed.watched()).toEqual({ cells: [], everywhere: false });
  });
});
