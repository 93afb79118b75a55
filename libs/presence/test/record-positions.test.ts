import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsSubjects, positionShardOf, redisKeys, type NursePosition } from '@nursing/contracts';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { createPresenceStore, type PresenceStore } from '../src/index.ts';

// The batch script against a real Redis: latest per nurse, bounded trails, out-of-order fixes.
let infra: SharedInfra;
let redis: Redis;
let nc: NatsConnection;
let store: PresenceStore;

beforeAll(async () => {
  infra = await useSharedInfra();
  redis = new Redis(infra.redisUrl);
  nc = await connect({ servers: infra.natsUrl.replace(/^nats:\/\//, '') });
  store = createPresenceStore({ redis, nc, keys: redisKeys(infra.ns), subjects: natsSubjects(infra.ns), trailLength: 3 });
});
afterAll(async () => {
  redis.disconnect();
  await nc.close();
  await infra.cleanup();
});

const fix = (nurseId: string, atMs: number, extra: Partial<NursePosition> = {}): NursePosition => ({ nurseId, lat: 31.23 + atMs / 1e9, lng: 121.47, atMs, ...extra });

describe('recordPositions', () => {
  it('stores the latest fix of each nurse of one batch, across shards, ids with - and _', async () => {
    const ids = ['n-a_1', 'N_b-2', 'nurse-3', 'x'];
    expect(new Set(ids.map((id) => positionShardOf(id))).size).toBeGreaterThan(1);
    await store.recordPositions(ids.flatMap((id, i) => [fix(id, 1_000 + i, { accuracyM: 5 }), fix(id, 2_000 + i, { headingDeg: 90, speedMps: 1.5 })]));
    for (const [i, id] of ids.entries()) expect(await store.getPosition(id)).toEqual(fix(id, 2_000 + i, { headingDeg: 90, speedMps: 1.5 }));
  });

  it('keeps a later fix as the latest when an older one arrives after it, but trails both', async () => {
    await store.recordPositions([fix('late', 5_000)]);
    await store.recordPositions([fix('late', 4_000)]);
    expect((await store.getPosition('late'))?.atMs).toBe(5_000);
    expect((await store.readTrail('late')).map((p) => p.atMs)).toEqual([5_000, 4_000]);
  });

  it('bounds each trail to its length, newest kept', async () => {
    await store.recordPositions([1, 2, 3, 4, 5].map((t) => fix('walker', t * 1_000)));
    expect((await store.readTrail('walker')).map((p) => p.atMs)).toEqual([3_000, 4_000, 5_000]);
  });
});
