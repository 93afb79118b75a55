import type { Redis } from 'ioredis';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { compileSchema, Nurse, NursePosition, Presence, type NatsSubjects, type RedisKeys } from '@nursing/contracts';
import { NearestIndex, type LatLng, type NearestHit } from '@nursing/geo';
import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';

/** What dispatch knows about one nurse: profile, availability and latest position. */
export interface NurseEntry {
  nurse?: Nurse;
  presence?: Presence;
  position?: NursePosition;
}

const positionValidator = compileSchema(NursePosition);
const presenceValidator = compileSchema(Presence);
const nurseValidator = compileSchema(Nurse);

export interface NurseIndexDeps {
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  presence: PresenceStore;
  log: Logger;
}

/**
 * The in-process view dispatch matches on: an H3 nearest index of every nurse with a
 * position, carrying her profile and availability so eligibility is checked without a
 * round trip. Rebuilt from Redis at start and kept current from NATS; Redis stays the
 * truth, so an instance that restarts or misses messages converges on it.
 */
export function createNurseIndex(deps: NurseIndexDeps) {
  const { redis, nc, keys, subjects, presence, log } = deps;
  const entries = new Map<string, NurseEntry>();
  const geo = new NearestIndex<NurseEntry>();
  const subscriptions: Subscription[] = [];

  const entryOf = (nurseId: string): NurseEntry => {
    let entry = entries.get(nurseId);
    if (!entry) entries.set(nurseId, (entry = {}));
    return entry;
  };

  function applyPosition(p: NursePosition): void {
    const entry = entryOf(p.nurseId);
    if (entry.position && entry.position.atMs > p.atMs) return; // late, out-of-order report
    entry.position = p;
    geo.upsert(p.nurseId, p, entry);
  }
  function applyPresence(p: Presence): void {
    const entry = entryOf(p.nurseId);
    if (entry.presence && entry.presence.atMs > p.atMs) return;
    entry.presence = p;
  }
  function applyNurse(n: Nurse): void {
    entryOf(n.id).nurse = n;
  }

  function listen<T>(subject: string, parse: (data: Uint8Array) => T, apply: (value: T) => void): void {
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          apply(parse(msg.data));
        } catch (e) {
          log.warn({ subject: msg.subject, err: { message: (e as Error).message } }, 'ignored an invalid message');
        }
      },
    });
    subscriptions.push(sub);
  }

  return {
    /** Subscribes first, then loads from Redis, so nothing published meanwhile is missed. */
    async start(): Promise<void> {
      listen(subjects.allLocations, (d) => positionValidator.parseJson(d, 'location'), applyPosition);
      listen(subjects.allPresence, (d) => presenceValidator.parseJson(d, 'presence'), applyPresence);
      listen(subjects.allNurseChanges, (d) => nurseValidator.parseJson(d, 'nurse'), applyNurse);
      await nc.flush();
      const ids = await redis.smembers(keys.nurseIds);
      const profiles = await Promise.all(ids.map((id) => redis.get(keys.nurse(id))));
      for (const raw of profiles) if (raw) applyNurse(JSON.parse(raw) as Nurse);
      for (const p of (await presence.loadAllPresence()).values()) applyPresence(p);
      for (const p of (await presence.loadAllPositions()).values()) applyPosition(p);
      log.info({ nurses: entries.size, positioned: geo.size }, 'nurse index loaded');
    },
    async stop(): Promise<void> {
      for (const s of subscriptions) s.unsubscribe();
      subscriptions.length = 0;
    },
    get(nurseId: string): NurseEntry | undefined {
      return entries.get(nurseId);
    },
    /** Nearest positioned nurses, exact, filtered during the search (not after). */
    nearest(center: LatLng, radiusMeters: number, limit: number | undefined, filter: (id: string, entry: NurseEntry, distanceMeters: number) => boolean): NearestHit<NurseEntry>[] {
      return geo.nearest(center, { radiusMeters, ...(limit === undefined ? {} : { limit }), filter });
    },
    /** Every known nurse of an institution (positioned or not). */
    ofInstitution(institutionId: string): [string, NurseEntry][] {
      return [...entries].filter(([, e]) => e.nurse?.institutionId === institutionId);
    },
    /** Applies a change this instance made itself without waiting for its NATS echo. */
    applyNurse,
    applyPresence,
    applyPosition,
    get size(): number {
      return entries.size;
    },
  };
}

export type NurseIndex = ReturnType<typeof createNurseIndex>;
