import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NatsSubjects, NursePosition } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import { readPositionBatch } from '../location/read-position-batch.ts';

export type PositionListener = (position: NursePosition) => void;

/**
 * The instance's subscriptions to position subjects, one per coarse cell however many
 * maps on this instance show it: ref-counted, unsubscribed when the last viewer
 * leaves. Each message (a batch from another instance) is parsed once and its
 * positions handed to every listener of the cell; the instance's own batches come
 * through `local`, already parsed.
 */
export function createCellHub(deps: { nc: NatsConnection; subjects: NatsSubjects; log: Logger; origin: string }) {
  // Per cell, each listener with how many times it watches the cell (one per map showing it).
  const cells = new Map<string, { sub: Subscription; listeners: Map<PositionListener, number> }>();
  const ownSuffix = `.${deps.origin}`;

  function unwatch(cell: string, listener: PositionListener): void {
    const entry = cells.get(cell);
    if (!entry) return;
    const watches = (entry.listeners.get(listener) ?? 1) - 1;
    if (watches > 0) return void entry.listeners.set(listener, watches);
    entry.listeners.delete(listener);
    if (entry.listeners.size === 0) {
      entry.sub.unsubscribe();
      cells.delete(cell);
    }
  }

  return {
    watch(cell: string, listener: PositionListener): void {
      let entry = cells.get(cell);
      if (!entry) {
        const listeners = new Map<PositionListener, number>();
        const sub = deps.nc.subscribe(deps.subjects.locationsInCell(cell), {
          callback: (err, msg) => {
            // This instance's own batches were handed over by `local` already.
            if (err || msg.subject.endsWith(ownSuffix)) return;
            const batch = readPositionBatch(msg.data, msg.subject, deps.log);
            if (batch) for (const l of listeners.keys()) for (const p of batch) l(p);
          },
        });
        entry = { sub, listeners };
        cells.set(cell, entry);
      }
      entry.listeners.set(listener, (entry.listeners.get(listener) ?? 0) + 1);
    },
    unwatch,
    /** Positions this instance stored itself, by cell: to its listeners without the NATS round trip. */
    local(byCell: ReadonlyMap<string, readonly NursePosition[]>): void {
      for (const [cell, batch] of byCell) {
        const entry = cells.get(cell);
        if (entry) for (const l of entry.listeners.keys()) for (const p of batch) l(p);
      }
    },
    /** Cells with at least one viewer (tests, metrics). */
    watchedCells(): string[] {
      return [...cells.keys()];
    },
    /** Makes sure the server has our subscriptions before a caller relies on them. */
    flush(): Promise<void> {
      return deps.nc.flush();
    },
    stop(): void {
      for (const { sub } of cells.values()) sub.unsubscribe();
      cells.clear();
    },
  };
}

export type CellHub = ReturnType<typeof createCellHub>;
