import type { Redis } from 'ioredis';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { compileSchema, Nurse, PositionBatch, Presence, type NatsSubjects, type NursePosition, type RedisKeys } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';
import { MatchIndex } from './match-index.ts';

export type { NurseEntry } from './match-index.ts';

const batchValidator = compileSchema(PositionBatch);
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
  let statusWatch: { stop?: () => void } | undefined;
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

  /** Reads everything from Redis; newer values the index already has are kept (each carries its time). */
  async function load(): Promise<void> {
    const ids = await redis.smembers(keys.nurseIds);
    const profiles = await Promise.all(ids.map((id) => redis.get(keys.nurse(id))));
    for (const raw of profiles) if (raw) applyNurse(JSON.parse(raw) as Nurse);
    for (const p of (await presence.loadAllPresence()).values()) applyPresence(p);
    for (const p of (await presence.loadAllPositions()).values()) applyPosition(p);
  }

  /**
   * Changes published while the NATS connection was down never arrive (core NATS keeps
   * nothing): a nurse who went busy meanwhile would still look available here. After
   * each reconnect the index catches up from Redis.
   */
  function reloadOnReconnect(): void {
    // The iterator nats.js returns has stop(); its declared type does not say so.
    const status = nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
    statusWatch = status;
    void (async () => {
      for await (const s of status) {
        if (s.type !== 'reconnect') continue;
        try {
          await load();
          log.info({ nurses: state.size }, 'nurse index reloaded after a NATS reconnect');
        } catch (err) {
          log.warn({ err: { message: (err as Error).message } }, 'nurse index reload after a NATS reconnect failed');
        }
      }
    })();
  }

  return {
    /** Subscribes first, then loads from Redis, so nothing published meanwhile is missed. */
    async start(): Promise<void> {
      listen(subjects.allLocations, (d) => batchValidator.parseJson(d, 'position batch'), (batch) => batch.forEach(applyPosition));
      listen(subjects.allPresence, (d) => presenceValidator.parseJson(d, 'presence'), applyPresence);
      listen(subjects.allNurseChanges, (d) => nurseValidator.parseJson(d, 'nurse'), applyNurse);
      await nc.flush();
      await load();
      reloadOnReconnect();
      log.info({ nurses: state.size }, 'nurse index loaded');
    },
    async stop(): Promise<void> {
      statusWatch?.stop?.();
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
