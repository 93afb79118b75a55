import type { Redis } from 'ioredis';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { compileSchema, Nurse, NursePosition, Presence, type NatsSubjects, type RedisKeys } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';
import { MatchIndex } from './match-index.ts';

export type { NurseEntry } from './match-index.ts';

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
 * The in-process view dispatch matches on (a MatchIndex), rebuilt from Redis at start
 * and kept current from NATS; Redis stays the truth, so an instance that restarts or
 * misses messages converges on it.
 */
export function createNurseIndex(deps: NurseIndexDeps) {
  const { redis, nc, keys, subjects, presence, log } = deps;
  const state = new MatchIndex();
  const subscriptions: Subscription[] = [];
  const applyPosition = (p: NursePosition) => state.applyPosition(p);
  const applyPresence = (p: Presence) => state.applyPresence(p);
  const applyNurse = (n: Nurse) => state.applyNurse(n);

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
      log.info({ nurses: state.size }, 'nurse index loaded');
    },
    async stop(): Promise<void> {
      for (const s of subscriptions) s.unsubscribe();
      subscriptions.length = 0;
    },
    get: (nurseId: string) => state.get(nurseId),
    nearest: state.nearest.bind(state),
    nearestEligible: state.nearestEligible.bind(state),
    ofInstitution: (institutionId: string) => state.ofInstitution(institutionId),
    /** Applies a change this instance made itself without waiting for its NATS echo. */
    applyNurse,
    applyPresence,
    applyPosition,
    get size(): number {
      return state.size;
    },
  };
}

export type NurseIndex = ReturnType<typeof createNurseIndex>;
