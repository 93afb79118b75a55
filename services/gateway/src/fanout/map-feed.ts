import type { NursePosition } from '@nursing/contracts';
import type { BBox } from '@nursing/geo';
import type { Logger } from '@nursing/logging';
import type { ServiceMetrics } from '@nursing/service-kit';
import type { CellHub } from './cell-hub.ts';
import type { StatusHub } from './status-hub.ts';
import type { NurseInstitutions } from './nurse-institutions.ts';
import { mapPositionHead, mapPositionTail } from './map-position.ts';
import { createChangeGrid, forEachInBox } from './change-grid.ts';

/** One coordinator's map as the feed sees it. */
export interface MapViewer {
  /** What it shows; undefined until its first viewport. */
  box: BBox | undefined;
  /** Its coordinator's institution; null for admins (who see every nurse by id). */
  institution: string | null;
  /** False while it is slow: it is skipped and catches up later. */
  canSend(): boolean;
  /** A ready `positions` frame, possibly the same buffer other viewers get. */
  send(frame: Buffer): void;
}

interface Entry {
  p: NursePosition;
  institution: string | null;
  /** The tick in which she last changed (0: known from a snapshot, never sent as a change). */
  tick: number;
  /** The tick in which her position last changed (a status change alone leaves it). */
  movedTick: number;
  /** Her position's JSON after the id, built for the change of tick `tailTick`. */
  tail: string;
  tailTick: number;
  /** Her id's JSON as each viewing institution sees it ('*': admins), kept while her institution is the same. */
  heads: Map<string, string> | undefined;
}

interface ViewerState {
  cells: Set<string>;
  /** The last tick this viewer received in full; it is behind when that is not the previous one. */
  sentTick: number;
  /** False until its snapshot went out (positions must not overtake it). */
  ready: boolean;
}

/** Tick 0: not a change any map has to be sent. */
const newEntry = (p: NursePosition, institution: string | null): Entry => ({ p, institution, tick: 0, movedTick: 0, tail: '', tailTick: -1, heads: undefined });

/** Entries nobody updated for this long are dropped (she went offline or left the watched cells). */
const FORGET_AFTER_MS = 15 * 60_000;

/**
 * The map fan-out of one gateway instance. Every position from a watched cell is
 * recorded once, whatever the number of maps; each flush then builds one `positions`
 * frame per distinct view (viewer institution + box) and sends the same buffer to every
 * map with that view. The cost of a flush grows with the views, not the viewers.
 * A map that was too slow to take a frame gets, once it can, the latest of every nurse
 * that changed since its last frame (one catch-up frame, shared too), never a backlog.
 */
export function createMapFeed(deps: {
  cellHub: CellHub;
  statusHub: StatusHub;
  institutions: NurseInstitutions;
  metrics: ServiceMetrics;
  log: Logger;
  now: () => number;
  flushMs: number;
}) {
  const { cellHub, statusHub, institutions, log, now } = deps;
  const frames = deps.metrics.counter('mapFrames');
  const flushDuration = deps.metrics.histogram('mapFlushDuration');
  const positionAge = deps.metrics.histogram('mapPositionAge');
  const viewers = new Map<MapViewer, ViewerState>();
  const latest = new Map<string, Entry>();
  /** Entries changed in the tick being gathered. */
  let dirty: Entry[] = [];
  let tick = 1;
  let timer: NodeJS.Timeout | undefined;
  let lastFlushAt = performance.now();
  let lastForget = now();

  /**
   * Positions check whether a flush is due, besides the timer: under a flood of socket
   * reads, libuv's poll phase runs up to 48 rounds of 1,024 ready sockets before timers
   * get their turn, and a timer-only feed left maps without a frame for seconds while
   * positions kept arriving (move-to-map p99 ~2.8 s at the ingest ceiling).
   */
  function flushIfDue(): void {
    if (performance.now() - lastFlushAt >= deps.flushMs) flushSafely();
  }

  /** A flush runs inside whatever recorded the position (a nurse's batch write, a NATS callback): a failure stays here. */
  function flushSafely(): void {
    try {
      flush();
    } catch (err) {
      log.error({ err }, 'map flush failed');
    }
  }

  function touch(entry: Entry): void {
    if (entry.tick === tick) return;
    entry.tick = tick;
    dirty.push(entry);
  }

  function record(p: NursePosition, institution: string | null): void {
    let entry = latest.get(p.nurseId);
    if (entry) {
      if (entry.p.atMs > p.atMs) return;
      entry.p = p;
      if (entry.institution !== institution) entry.heads = undefined;
      entry.institution = institution;
    } else {
      latest.set(p.nurseId, (entry = newEntry(p, institution)));
    }
    entry.movedTick = tick;
    touch(entry);
    flushIfDue();
  }

  const onPosition = (p: NursePosition): void => {
    const institution = institutions.get(p.nurseId);
    if (institution instanceof Promise) {
      institution.then((i) => record(p, i)).catch((err: unknown) => log.warn({ err }, 'nurse institution lookup failed'));
    } else {
      record(p, institution);
    }
  };

  const stopStatus = statusHub.listen((change) => {
    const entry = latest.get(change.nurseId);
    if (entry) touch(entry);
  });

  /**
   * A PositionsFrame as text, from the entries' shared tails (see mapPositionTail).
   * `each` calls its visitor for the entries to consider (all inside `box`).
   */
  function frameOf(each: (visit: (e: Entry) => void) => void, viewerInstitution: string | null, since: number): Buffer | undefined {
    const nurses: string[] = [];
    const viewerKey = viewerInstitution ?? '*';
    each((e) => {
      if (e.tick <= since) return;
      if (e.tailTick !== e.tick) {
        e.tail = mapPositionTail(e.p, statusHub.statusOf(e.p.nurseId));
        e.tailTick = e.tick;
      }
      const heads = (e.heads ??= new Map());
      let head = heads.get(viewerKey);
      if (head === undefined) heads.set(viewerKey, (head = mapPositionHead(e.p.nurseId, e.institution, viewerInstitution)));
      nurses.push(head + e.tail);
    });
    if (nurses.length === 0) return undefined;
    return Buffer.from(`{"type":"positions","nurses":[${nurses.join(',')}]}`);
  }

  function flush(): void {
    const started = performance.now();
    lastFlushAt = started;
    // The next timed flush is a whole interval after this one, whoever triggered it.
    timer?.refresh();
    const flushing = tick;
    const changed = dirty;
    tick++;
    dirty = [];
    // How fresh the maps are: what a coordinator sees is at least this old.
    const nowMs = now();
    for (let i = 0; i < changed.length; i += 4) {
      const e = changed[i]!;
      if (e.movedTick === flushing) positionAge.observe((nowMs - e.p.atMs) / 1000);
    }
    // Frames built this flush, by view and by what the viewer already has: viewers that
    // look at the same thing as the same people share one buffer.
    const built = new Map<string, Buffer | undefined>();
    const grid = createChangeGrid(changed);
    for (const [viewer, state] of viewers) {
      const box = viewer.box;
      if (!state.ready || !box) continue;
      const upToDate = state.sentTick === flushing - 1;
      if (upToDate && changed.length === 0) {
        state.sentTick = flushing;
        continue;
      }
      if (!viewer.canSend()) {
        frames.inc({ kind: 'held' });
        continue;
      }
      const since = upToDate ? flushing - 1 : state.sentTick;
      const key = `${viewer.institution ?? '*'}|${box.west},${box.south},${box.east},${box.north}|${since}`;
      let frame = built.get(key);
      if (!built.has(key)) {
        frame = upToDate
          ? frameOf((visit) => grid.forEachIn(box, visit), viewer.institution, since)
          : frameOf((visit) => forEachInBox(latest.values(), box, visit), viewer.institution, since);
        built.set(key, frame);
      }
      if (frame) {
        try {
          viewer.send(frame);
        } catch (err) {
          // One broken map must not cost the others their frame; it gets a catch-up next time.
          log.warn({ err }, 'map frame not sent');
          continue;
        }
        frames.inc({ kind: upToDate ? 'shared' : 'catchup' });
      }
      state.sentTick = flushing;
    }
    forgetStale();
    flushDuration.observe((performance.now() - started) / 1000);
  }

  function forgetStale(): void {
    const t = now();
    if (t - lastForget < 60_000) return;
    lastForget = t;
    for (const [id, e] of latest) if (e.p.atMs < t - FORGET_AFTER_MS) latest.delete(id);
  }

  /** One watch of the cell hub per viewer and cell: the hub counts them. */
  function watchCells(state: ViewerState, next: Set<string>): void {
    for (const cell of next) if (!state.cells.has(cell)) cellHub.watch(cell, onPosition);
    for (const cell of state.cells) if (!next.has(cell)) cellHub.unwatch(cell, onPosition);
    state.cells = next;
  }

  function leave(viewer: MapViewer): void {
    const state = viewers.get(viewer);
    if (!state) return;
    watchCells(state, new Set());
    viewers.delete(viewer);
    if (viewers.size === 0) {
      clearTimeout(timer);
      timer = undefined;
      latest.clear();
      dirty = [];
    }
  }

  return {
    /**
     * Points a viewer at new cells (its box is already set). It gets no positions until
     * `ready`, which the caller calls once the viewport's snapshot is sent.
     */
    watch(viewer: MapViewer, cells: Set<string>): { ready: () => void } {
      let state = viewers.get(viewer);
      if (!state) {
        state = { cells: new Set(), sentTick: 0, ready: false };
        viewers.set(viewer, state);
        timer ??= setTimeout(flushSafely, deps.flushMs);
      }
      watchCells(state, cells);
      state.ready = false;
      // Whatever changes from here on may be missing from the snapshot: it is re-sent.
      const since = tick - 1;
      const s = state;
      return {
        ready: () => {
          if (viewers.get(viewer) !== s) return;
          s.sentTick = since;
          s.ready = true;
        },
      };
    },
    /** A position read elsewhere (a snapshot): kept so a status change alone can re-send her. */
    remember(p: NursePosition, institution: string | null): void {
      if (!latest.has(p.nurseId)) latest.set(p.nurseId, newEntry(p, institution));
    },
    leave,
    stop(): void {
      for (const viewer of [...viewers.keys()]) leave(viewer);
      stopStatus();
    },
    /** For tests and metrics. */
    stats(): { viewers: number; cells: number; nurses: number } {
      return { viewers: viewers.size, cells: cellHub.watchedCells().length, nurses: latest.size };
    },
  };
}

export type MapFeed = ReturnType<typeof createMapFeed>;
