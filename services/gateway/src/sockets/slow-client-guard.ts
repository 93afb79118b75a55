import type { WebSocket } from 'ws';
import { WS_CLOSE } from '@nursing/contracts';

export interface SlowClientLimits {
  /** Above this much unsent data, sends are held back: the caller conflates and tries again later. */
  slowBytes: number;
  /** Above this the client is closed at once. */
  hopelessBytes: number;
  /** Slow for this long without catching up: closed too. */
  graceMs: number;
}

export const DEFAULT_SLOW_CLIENT_LIMITS: SlowClientLimits = { slowBytes: 1024 * 1024, hopelessBytes: 8 * 1024 * 1024, graceMs: 10_000 };

/** A client that stopped reading may never read the close frame queued behind its backlog. */
const TERMINATE_AFTER_CLOSE_MS = 5_000;

/**
 * Keeps a slow reader from making the server buffer without bound: while its backlog
 * is above `slowBytes` the caller holds updates back (and conflates them), and a
 * client that stays behind for `graceMs`, or falls hopelessly behind, is closed with
 * 4408 (and dropped if it does not even read that).
 */
export function createSlowClientGuard(socket: WebSocket, limits: SlowClientLimits, now: () => number) {
  let slowSince: number | undefined;
  let closed = false;

  function close(): void {
    if (closed) return;
    closed = true;
    socket.close(WS_CLOSE.TOO_SLOW, 'too slow: not reading what is sent');
    setTimeout(() => socket.terminate(), TERMINATE_AFTER_CLOSE_MS).unref();
  }

  return {
    /** True when the caller may send now; false means hold back (the socket may have been closed). */
    canSend(): boolean {
      if (closed) return false;
      const backlog = socket.bufferedAmount;
      if (backlog > limits.hopelessBytes) {
        close();
        return false;
      }
      if (backlog <= limits.slowBytes) {
        slowSince = undefined;
        return true;
      }
      slowSince ??= now();
      if (now() - slowSince > limits.graceMs) close();
      return false;
    },
  };
}
