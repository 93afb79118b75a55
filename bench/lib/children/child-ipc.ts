import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The child side of the IPC protocol between `npm run bench` and the processes it
 * starts: the child announces itself once ready, answers named requests, and exits
 * when asked or when the parent goes away (so a killed benchmark leaves nothing behind).
 */
export interface ReadyMessage {
  type: 'ready';
  pid: number;
  /** Soft limit on open files inside the child, from /proc/self/limits. */
  fdLimit: number | null;
  port?: number;
  [key: string]: unknown;
}

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type RequestHandlers = Record<string, (arg: unknown) => unknown>;

export function announceReady(info: Omit<ReadyMessage, 'type' | 'pid' | 'fdLimit'>): void {
  const message: ReadyMessage = { type: 'ready', pid: process.pid, fdLimit: fdLimit(), ...info };
  process.send?.(message);
}

export function serveParent(handlers: RequestHandlers, stop: () => Promise<void>): void {
  process.on('message', (raw: unknown) => {
    const message = raw as { type?: string; reqId?: number; what?: string; arg?: unknown };
    if (message.type === 'stop') {
      void stop().finally(() => process.exit(0));
      return;
    }
    if (message.type !== 'request' || message.reqId === undefined) return;
    const handler = handlers[message.what ?? ''];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no handler for ${message.what}`);
        return handler(message.arg);
      })
      .then(
        (body) => process.send?.({ type: 'reply', reqId: message.reqId, body }),
        (err: unknown) => process.send?.({ type: 'reply', reqId: message.reqId, error: (err as Error).message ?? String(err) }),
      );
  });
  // The parent died or closed the channel: nobody will ever stop us otherwise.
  process.on('disconnect', () => process.exit(0));
}

/** Memory after full collections (needs --expose-gc), so growth is live objects, not garbage. */
export async function memorySnapshot(): Promise<MemorySnapshot> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

export function fdLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}
