import type { NursePosition } from '@nursing/contracts';

export interface PositionBatcherOptions {
  /** Stores one batch (the presence store's recordPositions: one script per shard). */
  write: (batch: readonly NursePosition[]) => Promise<void>;
  flushMs?: number;
  maxBatch?: number;
}

interface Pending {
  position: NursePosition;
  done: { resolve: () => void; reject: (err: unknown) => void };
}

/**
 * Gathers positions from all sockets of the instance for a few milliseconds so Redis
 * sees one script call per shard instead of one per fix. `add` resolves once the fix
 * is stored, so the nurse's ack means "stored", not "received".
 */
export function createPositionBatcher(options: PositionBatcherOptions) {
  const flushMs = options.flushMs ?? 10;
  const maxBatch = options.maxBatch ?? 500;
  let pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return Promise.resolve();
    const batch = pending;
    pending = [];
    const p = options
      .write(batch.map((b) => b.position))
      .then(
        () => batch.forEach((b) => b.done.resolve()),
        (err: unknown) => batch.forEach((b) => b.done.reject(err)),
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  }

  return {
    add(position: NursePosition): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push({ position, done: { resolve, reject } });
        if (pending.length >= maxBatch) void flush();
        else timer ??= setTimeout(() => void flush(), flushMs);
      });
    },
    /** Writes what is waiting and waits for writes under way (shutdown). */
    async stop(): Promise<void> {
      await flush();
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type PositionBatcher = ReturnType<typeof createPositionBatcher>;
