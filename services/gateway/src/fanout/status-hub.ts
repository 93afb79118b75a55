import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Presence, compileSchema, type Availability, type NatsSubjects } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';

const presenceValidator = compileSchema(Presence);

export type StatusListener = (presence: Presence) => void;

/**
 * Availability changes, for the maps of this instance: one subscription to every
 * nurse's presence subject, the latest status per nurse seen since start (positions
 * frames carry it), and listeners that re-send a nurse already on a map when only her
 * status changed (she went busy or offline without moving).
 */
export function createStatusHub(deps: { nc: NatsConnection; subjects: NatsSubjects; log: Logger }) {
  const latest = new Map<string, Presence>();
  const listeners = new Set<StatusListener>();
  let sub: Subscription | undefined;

  return {
    start(): void {
      sub = deps.nc.subscribe(deps.subjects.allPresence, {
        callback: (err, msg) => {
          if (err) return;
          let presence: Presence;
          try {
            presence = presenceValidator.parseJson(msg.data, 'presence');
          } catch (e) {
            deps.log.warn({ subject: msg.subject, err: { message: (e as Error).message } }, 'ignored an invalid presence');
            return;
          }
          const known = latest.get(presence.nurseId);
          if (known && known.atMs > presence.atMs) return;
          latest.set(presence.nurseId, presence);
          for (const l of listeners) l(presence);
        },
      });
    },
    statusOf(nurseId: string): Availability | undefined {
      return latest.get(nurseId)?.status;
    },
    /** Records a status read elsewhere (a snapshot from Redis) unless a newer one is known. */
    learn(presence: Presence): void {
      const known = latest.get(presence.nurseId);
      if (!known || known.atMs <= presence.atMs) latest.set(presence.nurseId, presence);
    },
    listen(listener: StatusListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop(): void {
      sub?.unsubscribe();
      sub = undefined;
      listeners.clear();
    },
  };
}

export type StatusHub = ReturnType<typeof createStatusHub>;
