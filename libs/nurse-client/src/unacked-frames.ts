import { CLIENT_ERROR_CODES, NurseClientError } from './client-error.ts';

/** A frame as the client sends it: every one carries a numeric id, unique for the client's lifetime. */
export interface OutgoingFrame {
  type: string;
  id: number;
  [field: string]: unknown;
}

export interface Waiter {
  resolve(result: unknown): void;
  reject(error: NurseClientError): void;
}

interface Entry {
  frame: OutgoingFrame;
  waiter: Waiter | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Frames sent (or waiting to be sent) and not yet answered, in id order, so a
 * reconnect can send them again in the order they were made. Location frames are
 * conflated: only the newest unanswered fix is kept, since an old position is worth
 * nothing once a newer one exists and a phone back from a tunnel must not flood
 * the gateway (which closes sockets that exceed its frame rate).
 */
export function createUnackedFrames(options: { timeoutMs: number; onTimeout?: (frame: OutgoingFrame) => void }) {
  const entries = new Map<number, Entry>();
  let latestLocation: number | undefined;

  function remove(id: number): Entry | undefined {
    const entry = entries.get(id);
    if (!entry) return undefined;
    entries.delete(id);
    clearTimeout(entry.timer);
    if (latestLocation === id) latestLocation = undefined;
    return entry;
  }

  return {
    add(frame: OutgoingFrame, waiter?: Waiter): void {
      if (frame.type === 'location' && latestLocation !== undefined) {
        remove(latestLocation)?.waiter?.reject(new NurseClientError(CLIENT_ERROR_CODES.SUPERSEDED, 'a newer location replaced this one'));
      }
      const timer = setTimeout(() => {
        remove(frame.id)?.waiter?.reject(new NurseClientError(CLIENT_ERROR_CODES.TIMEOUT, `no answer to ${frame.type} frame ${frame.id} in ${options.timeoutMs} ms`));
        options.onTimeout?.(frame);
      }, options.timeoutMs);
      timer.unref();
      entries.set(frame.id, { frame, waiter, timer });
      if (frame.type === 'location') latestLocation = frame.id;
    },
    /** Removes and returns the frame an ack, error or pong answered (undefined: superseded or unknown). */
    take(id: number): { frame: OutgoingFrame; waiter: Waiter | undefined } | undefined {
      const entry = remove(id);
      return entry && { frame: entry.frame, waiter: entry.waiter };
    },
    /** Everything still unanswered, oldest first (Map keeps insertion order, and ids only grow). */
    frames(): OutgoingFrame[] {
      return [...entries.values()].map((e) => e.frame);
    },
    has(type: string): boolean {
      for (const e of entries.values()) if (e.frame.type === type) return true;
      return false;
    },
    get size(): number {
      return entries.size;
    },
    rejectAll(error: NurseClientError): void {
      for (const id of [...entries.keys()]) remove(id)?.waiter?.reject(error);
    },
  };
}

export type UnackedFrames = ReturnType<typeof createUnackedFrames>;
