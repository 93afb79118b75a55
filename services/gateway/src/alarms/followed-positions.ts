import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NatsSubjects, NursePosition } from '@nursing/contracts';
import { coarseCellOf, coarseCellWithNeighbours, type LatLng } from '@nursing/geo';
import type { Logger } from '@nursing/logging';
import { readPositionBatch } from '../location/read-position-batch.ts';

const decoder = new TextDecoder();

export interface FollowedPositionsDeps {
  nc: NatsConnection;
  subjects: NatsSubjects;
  log: Logger;
  onPosition: (p: NursePosition) => void;
  /** Her latest stored position (Redis), to find her when no fix of hers has come by. */
  locate: (nurseId: string) => Promise<NursePosition | undefined>;
}

interface Followed {
  /** How JSON.stringify writes her id in a batch: a batch without it is not parsed. */
  needle: string;
  /** The coarse cell her subscriptions are centred on; undefined until she is located. */
  centre: string | undefined;
  /** Her centre and its ring of neighbours: the cells subscribed for her. */
  cells: string[];
  /** Her newest fix passed on: older or repeated ones are not passed on again. */
  lastAtMs: number;
  /** Her newest fix desks had when following began (the alarm's, or her stored one then). */
  knownAtMs: number;
}

/**
 * Every position of a few followed nurses (those with an open alarm), wherever they go,
 * for what it costs to watch the area around each: the subjects of her coarse cell and
 * its ring (7 cells of ~250 km^2), re-centred when a fix of hers lands in another cell.
 * At full rate (a fix a second) she cannot leave the ring between two fixes; a jump
 * after her app was offline is found by `relocate` (her stored position). Only a nurse
 * who cannot be located at all (never reported) is looked for in every position batch
 * until her first fix. A batch is parsed only when its text contains a followed id.
 */
export function createFollowedPositions(deps: FollowedPositionsDeps) {
  const { nc, subjects, log } = deps;
  const followed = new Map<string, Followed>();
  /** Subscribed cells, with how many followed nurses need each. */
  const cells = new Map<string, { sub: Subscription; users: number }>();
  /** All position batches, only while a followed nurse has no centre yet. */
  let everywhere: Subscription | undefined;

  function onBatch(data: Uint8Array, subject: string): void {
    const text = decoder.decode(data);
    let hit = false;
    for (const f of followed.values()) {
      if (text.includes(f.needle)) {
        hit = true;
        break;
      }
    }
    if (!hit) return;
    for (const p of readPositionBatch(text, subject, log) ?? []) seen(p);
  }

  const subscribe = (subject: string): Subscription =>
    nc.subscribe(subject, {
      callback: (err, msg) => {
        if (!err) onBatch(msg.data, msg.subject);
      },
    });

  /** A fix of a followed nurse, from a subscription or `relocate`: passed on once, newest only. */
  function seen(p: NursePosition): void {
    const f = followed.get(p.nurseId);
    if (!f || p.atMs <= f.lastAtMs) return;
    f.lastAtMs = p.atMs;
    centre(f, coarseCellOf(p));
    deps.onPosition(p);
  }

  function centre(f: Followed, cell: string): void {
    if (f.centre === cell) return;
    const next = coarseCellWithNeighbours(cell);
    // The new cells first: no fix can fall between the two sets.
    for (const c of next) {
      const entry = cells.get(c);
      if (entry) entry.users++;
      else cells.set(c, { sub: subscribe(subjects.locationsInCell(c)), users: 1 });
    }
    release(f.cells);
    f.centre = cell;
    f.cells = next;
    lookEverywhereIfNeeded();
  }

  function release(list: readonly string[]): void {
    for (const c of list) {
      const entry = cells.get(c);
      if (!entry) continue;
      if (--entry.users > 0) continue;
      entry.sub.unsubscribe();
      cells.delete(c);
    }
  }

  function lookEverywhereIfNeeded(): void {
    let unlocated = false;
    for (const f of followed.values()) if (f.centre === undefined) unlocated = true;
    if (unlocated) everywhere ??= subscribe(subjects.allLocations);
    else {
      everywhere?.unsubscribe();
      everywhere = undefined;
    }
  }

  return {
    /**
     * Starts following her. `around`: her position in the alarm, if it has one. Her stored
     * position is read too, only to centre on (desks have it with the alarm or its trail);
     * a fix published meanwhile still comes through her cells.
     */
    follow(nurseId: string, around?: LatLng & { atMs: number }): void {
      if (followed.has(nurseId)) return;
      const f: Followed = { needle: `"nurseId":${JSON.stringify(nurseId)}`, centre: undefined, cells: [], lastAtMs: -Infinity, knownAtMs: around?.atMs ?? -Infinity };
      followed.set(nurseId, f);
      if (around) centre(f, coarseCellOf(around));
      else lookEverywhereIfNeeded();
      deps.locate(nurseId).then(
        (stored) => {
          if (!stored || followed.get(nurseId) !== f || stored.atMs <= Math.max(f.knownAtMs, f.lastAtMs)) return;
          f.knownAtMs = stored.atMs;
          centre(f, coarseCellOf(stored));
        },
        (err: unknown) => log.warn({ err, nurseId }, 'followed nurse lookup failed'),
      );
    },
    unfollow(nurseId: string): void {
      const f = followed.get(nurseId);
      if (!f) return;
      followed.delete(nurseId);
      release(f.cells);
      lookEverywhereIfNeeded();
    },
    isFollowed: (nurseId: string): boolean => followed.has(nurseId),
    /** Re-reads every followed nurse's stored position: finds one who jumped past her ring while offline. */
    async relocate(): Promise<void> {
      await Promise.all(
        [...followed].map(async ([nurseId, f]) => {
          const stored = await deps.locate(nurseId);
          // Newer than anything desks have: a fix her cells did not carry to this instance.
          if (stored && stored.atMs > f.knownAtMs) seen(stored);
        }),
      );
    },
    /** What this instance subscribes to for following (tests, diagnosis). */
    watched(): { cells: string[]; everywhere: boolean } {
      return { cells: [...cells.keys()], everywhere: everywhere !== undefined };
    },
    stop(): void {
      followed.clear();
      for (const { sub } of cells.values()) sub.unsubscribe();
      cells.clear();
      everywhere?.unsubscribe();
      everywhere = undefined;
    },
  };
}

export type FollowedPositions = ReturnType<typeof createFollowedPositions>;
