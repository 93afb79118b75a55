import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';

export interface OfflineSweepOptions {
  presence: PresenceStore;
  log: Logger;
  now: () => number;
  /** A nurse whose socket has been gone this long is set offline. */
  offlineAfterMs?: number;
  sweepEveryMs?: number;
}

/**
 * Sets nurses offline whose socket has been gone for a while. Not at once: the app
 * reconnects after tunnels and lifts. Last-seen lives in this instance's memory, so
 * the sweep runs on the instance that held the socket; if that instance dies the
 * nurse keeps her last status (her position ages out of matching anyway). A nurse
 * who reconnected to another instance is recognised by a newer stored position.
 */
export function createOfflineSweep(options: OfflineSweepOptions) {
  const { presence, log, now } = options;
  const offlineAfterMs = options.offlineAfterMs ?? 120_000;
  const connected = new Map<string, number>();
  const goneSince = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  async function sweep(): Promise<void> {
    const t = now();
    for (const [nurseId, since] of goneSince) {
      if (t - since < offlineAfterMs) continue;
      goneSince.delete(nurseId);
      try {
        const last = await presence.getPosition(nurseId);
        if (last && last.atMs > since) continue; // reporting through another instance
        const current = await presence.getPresence(nurseId);
        if (current?.status === 'offline') continue;
        await presence.setPresence(nurseId, 'offline', t);
        log.info({ nurseId }, 'nurse set offline after her socket was gone');
      } catch (err) {
        log.warn({ err, nurseId }, 'offline sweep failed for a nurse');
      }
    }
  }

  return {
    connected(nurseId: string): void {
      connected.set(nurseId, (connected.get(nurseId) ?? 0) + 1);
      goneSince.delete(nurseId);
    },
    disconnected(nurseId: string): void {
      const left = (connected.get(nurseId) ?? 1) - 1;
      if (left > 0) {
        connected.set(nurseId, left);
        return;
      }
      connected.delete(nurseId);
      goneSince.set(nurseId, now());
    },
    sweep,
    start(): void {
      timer = setInterval(() => void sweep(), options.sweepEveryMs ?? 15_000);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type OfflineSweep = ReturnType<typeof createOfflineSweep>;
