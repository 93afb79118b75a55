import type { TokenClaims } from '@nursing/contracts';
import { connectRawWs, type RawWs } from '../lib/raw-ws/raw-ws-client.ts';

/**
 * Security desks on /ws/security, noting when each alarm's `raised` event reaches
 * each desk (performance.now()). Listeners per alarm id let a benchmark wait for one.
 */
export async function openSecurityDesks(input: { host: string; port: number; count: number; sign: (c: TokenClaims) => string }) {
  const arrivals = new Map<string, number[]>();
  const waiting = new Map<string, () => void>();
  const sockets: RawWs[] = [];
  let closed = 0;
  for (let i = 0; i < input.count; i++) {
    sockets.push(
      await connectRawWs({
        host: input.host,
        port: input.port,
        path: '/ws/security',
        headers: { authorization: `Bearer ${input.sign({ sub: `desk-${i}`, role: 'security' })}` },
        onText: (payload) => {
          const t = performance.now();
          if (payload.toString('latin1', 0, 15) !== '{"type":"alarm"') return;
          const frame = JSON.parse(payload.toString('utf8')) as { event?: string; alarm?: { alarmId?: string } };
          const id = frame.alarm?.alarmId;
          if (frame.event !== 'raised' || !id) return;
          const list = arrivals.get(id) ?? [];
          list.push(t);
          arrivals.set(id, list);
          if (list.length >= sockets.length) waiting.get(id)?.();
        },
        onClose: () => void closed++,
      }),
    );
  }
  return {
    arrivals,
    get closed() {
      return closed;
    },
    /** Resolves true once every desk has the alarm, false after `timeoutMs`. */
    reachedAll(alarmId: string, timeoutMs: number): Promise<boolean> {
      if ((arrivals.get(alarmId)?.length ?? 0) >= sockets.length) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => (waiting.delete(alarmId), resolve(false)), timeoutMs);
        waiting.set(alarmId, () => (clearTimeout(timer), waiting.delete(alarmId), resolve(true)));
      });
    },
    close(): void {
      for (const s of sockets) s.destroy();
    },
  };
}

export type SecurityDesks = Awaited<ReturnType<typeof openSecurityDesks>>;
