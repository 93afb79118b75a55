import { WebSocket } from 'ws';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

/** A test's WebSocket client: records every frame and waits for the ones it expects. */
export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  send(frame: object | string): void;
  /** The first frame (already received or coming) matching the predicate. */
  next(predicate: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface TestSocketOptions {
  /** Answer the server's pings (default true); false plays a client whose connection went dead. */
  autoPong?: boolean;
  /** How long `next` waits by default. */
  timeoutMs?: number;
}

/** Opens a socket with a bearer token; rejects when the handshake is refused. */
export function openTestSocket(url: string, token?: string, options: TestSocketOptions = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, autoPong: options.autoPong ?? true });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const socket: TestSocket = {
    ws,
    frames,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate, timeoutMs = options.timeoutMs ?? 3000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = frames.find(predicate);
          if (!hit) return false;
          waiters.delete(onFrame);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const onFrame = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(onFrame);
          reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 800)}`));
        }, timeoutMs);
        if (!check()) waiters.add(onFrame);
      });
    },
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      // Errors after the handshake show up as `closed`; no unhandled 'error' events.
      ws.on('error', () => undefined);
      resolve(socket);
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`handshake refused: ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** The HTTP status with which the server refused a handshake (101 when it upgraded). */
export function handshakeStatus(url: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
