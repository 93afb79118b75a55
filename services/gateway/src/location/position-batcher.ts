import type { NursePosition } from '@nursing/contracts';

export interface PositionBatcherOptions {
  /** Stores one batch (the presence store's recordPositions: one script per shard). */
  write: (batch: readonly NursePosition[]) => Promise<void>;
  flushMs?: number;
  maxBatch?: number;
}

/** Called once the fix is stored (no argument) or could not be (the error). */
export type StoredCallback = (err?: unknown) => void;

/**
 * Gathers positions from all sockets of the instance for a few milliseconds so Redis
 * sees one script call per shard instead of one per fix. `add` calls back once the fix
 * is stored, so the nurse's ack means "stored", not "received". Callbacks rather than
 * a promise per fix: this runs tens of thousands of times a second.
 */
export function createPositionBatcher(options: PositionBatcherOptions) {
  const flushMs = options.flushMs ?? 10;
  const maxBatch = options.maxBatch ?? 500;
  let positions: NursePosition[] = [];
  let callbacks: StoredCallback[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** When the oldest waiting position came (performance.now()). */
  let firstAt = 0;
  const inFlight = new Set<Promise<void>>();

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (positions.length === 0) return Promise.resolve();
    const batch = positions;
    const done = callbacks;
    positions = [];
    callbacks = [];
    const p = options
      .write(batch)
      .then(
        () => {
          for (const cb of done) cb();
        },
        (err: unknown) => {
          for (const cb of done) cb(err);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  }

  return {
    add(position: NursePosition, stored: StoredCallback): void {
      positions.push(position);
      callbacks.push(stored);
      // The clock is checked here too: while sockets keep the poll phase busy, the timer
      // may not fire for hundreds of milliseconds, and every waiting fix's ack with it.
      const t = performance.now();
      if (positions.length === 1) firstAt = t;
      if (positions.length >= maxBatch || t - firstAt >= flushMs) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
    },
    /** Writes what is waiting and waits for writes under way (shutdown). */
    async stop(): Promise<void> {
      await flush();
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type PositionBatcher = ReturnType<typeof createPositionBatcher>;
