import type { Redis, Result } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  POSITION_SHARDS,
  positionShardOf,
  type Availability,
  type NatsSubjects,
  type NursePosition,
  type Presence,
  type RedisKeys,
} from '@nursing/contracts';
import { coarseCellOf } from '@nursing/geo';
import { randomBytes } from 'node:crypto';
import { RECORD_POSITIONS_LUA } from './record-positions-script.ts';

export interface PresenceStoreDeps {
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  /** Positions kept per nurse for replay and alarms. */
  trailLength?: number;
  /** This instance's token in the position subjects (a NATS token: no dots or wildcards); random by default. */
  origin?: string;
}

const encoder = new TextEncoder();
/** PositionBatch's maxItems: a subscriber refuses longer batches. */
const MAX_PER_MESSAGE = 1_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordPositions(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * The shared truth about where nurses are and whether they are available: Redis holds
 * the latest state (every instance sees it, it survives restarts); NATS carries each
 * change to the instances that keep in-process views (dispatch's index, map fan-out).
 */
export function createPresenceStore(deps: PresenceStoreDeps) {
  const { redis, nc, keys, subjects } = deps;
  const trailLength = deps.trailLength ?? 2_000;
  const origin = deps.origin ?? randomBytes(6).toString('hex');
  if (typeof (redis as { recordPositions?: unknown }).recordPositions !== 'function') {
    redis.defineCommand('recordPositions', { lua: RECORD_POSITIONS_LUA });
  }

  return {
    /** The token this instance's position subjects end with. */
    origin,

    /**
     * Stores a batch of positions (one script call per shard), then publishes them per coarse
     * cell, one message each. `byCell`: the same positions grouped by `positionsByCell`, when
     * the caller has them already.
     */
    async recordPositions(positions: readonly NursePosition[], byCell: ReadonlyMap<string, readonly NursePosition[]> = positionsByCell(positions)): Promise<void> {
      if (positions.length === 0) return;
      const byShard = new Map<number, NursePosition[]>();
      for (const p of positions) {
        const shard = positionShardOf(p.nurseId);
        let list = byShard.get(shard);
        if (!list) byShard.set(shard, (list = []));
        list.push(p);
      }
      // Serialised once per fix: the same JSON goes to Redis and to NATS.
      const json = new Map<NursePosition, string>();
      for (const p of positions) json.set(p, JSON.stringify(p));
      const writes: Promise<number>[] = [];
      for (const [shard, list] of byShard) {
        const args: (string | number)[] = [list.length + 1, keys.positions(shard)];
        for (const p of list) args.push(keys.trail(p.nurseId));
        args.push(trailLength);
        for (const p of list) args.push(p.nurseId, p.atMs, json.get(p)!);
        writes.push(redis.recordPositions(...args));
      }
      await Promise.all(writes);
      for (const [cell, list] of byCell) {
        const subject = subjects.locations(cell, origin);
        for (let i = 0; i < list.length; i += MAX_PER_MESSAGE) {
          nc.publish(subject, `[${list.slice(i, i + MAX_PER_MESSAGE).map((p) => json.get(p)!).join(',')}]`);
        }
      }
    },

    /** Sets a nurse's availability and tells every instance. */
    async setPresence(nurseId: string, status: Availability, atMs: number): Promise<Presence> {
      const presence: Presence = { nurseId, status, atMs };
      await redis.hset(keys.presence(positionShardOf(nurseId)), nurseId, JSON.stringify(presence));
      nc.publish(subjects.presence(nurseId), encoder.encode(JSON.stringify(presence)));
      return presence;
    },

    async getPosition(nurseId: string): Promise<NursePosition | undefined> {
      const raw = await redis.hget(keys.positions(positionShardOf(nurseId)), nurseId);
      return raw ? (JSON.parse(raw) as NursePosition) : undefined;
    },

    async getPresence(nurseId: string): Promise<Presence | undefined> {
      const raw = await redis.hget(keys.presence(positionShardOf(nurseId)), nurseId);
      return raw ? (JSON.parse(raw) as Presence) : undefined;
    },

    /** Every stored latest position, for rebuilding an in-process index at start. */
    async loadAllPositions(): Promise<Map<string, NursePosition>> {
      return loadAll<NursePosition>(redis, (s) => keys.positions(s));
    },

    async loadAllPresence(): Promise<Map<string, Presence>> {
      return loadAll<Presence>(redis, (s) => keys.presence(s));
    },

    /** A nurse's trail between two instants, oldest first. */
    async readTrail(nurseId: string, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): Promise<NursePosition[]> {
      const raw = await redis.lrange(keys.trail(nurseId), 0, -1);
      return raw
        .map((r) => JSON.parse(r) as NursePosition)
        .filter((p) => p.atMs >= fromMs && p.atMs <= toMs)
        .reverse();
    },
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;

/** Positions grouped by the coarse cell whose subject carries them (and whose map viewers want them). */
export function positionsByCell(positions: readonly NursePosition[]): Map<string, NursePosition[]> {
  const byCell = new Map<string, NursePosition[]>();
  for (const p of positions) {
    const cell = coarseCellOf(p);
    let list = byCell.get(cell);
    if (!list) byCell.set(cell, (list = []));
    list.push(p);
  }
  return byCell;
}

async function loadAll<T>(redis: Redis, keyOf: (shard: number) => string): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const shards = await Promise.all(Array.from({ length: POSITION_SHARDS }, (_, s) => redis.hgetall(keyOf(s))));
  for (const shard of shards) {
    for (const [id, raw] of Object.entries(shard)) out.set(id, JSON.parse(raw) as T);
  }
  return out;
}
