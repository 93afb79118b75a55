import ReconnectingWebSocket from 'partysocket/ws';
import { WebSocket } from 'ws';

/** A bearer token, or a function that returns a fresh one before each connection attempt. */
export type TokenSource = string | (() => string | Promise<string>);

export interface BackoffOptions {
  /** First delay after a lost connection, ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Each failed attempt multiplies the delay by this. */
  growFactor?: number;
  /** Random extra delay, up to this many ms, before each reconnection attempt. */
  jitterMs?: number;
  /** An attempt that has not opened after this long is abandoned and retried. */
  connectTimeoutMs?: number;
}

export interface SocketHandlers {
  onOpen(): void;
  onText(text: string): void;
  /** The open connection was lost (or closed by us); a reconnection follows unless closed. */
  onClose(code: number, reason: string): void;
  /** A connection attempt or the socket failed; `status` is the HTTP status of a refused handshake. */
  onError(message: string, status: number | undefined): void;
}

export interface ReconnectingSocket {
  /** Sends now if open; false if not (the caller keeps the frame for the next open). */
  send(text: string): boolean;
  isOpen(): boolean;
  /** Stops reconnecting and closes the socket, resolving once the close handshake is done. */
  close(code?: number, reason?: string): Promise<void>;
}

const DEFAULTS = { minDelayMs: 1_000, maxDelayMs: 30_000, growFactor: 1.5, jitterMs: 1_000, connectTimeoutMs: 10_000 };
const CLOSE_WAIT_MS = 2_000;

/**
 * partysocket's reconnecting WebSocket, adapted to Node and to this gateway:
 * - the token goes in an `Authorization` header (partysocket constructs sockets with
 *   the URL only, so a `ws` subclass adds the header, read fresh for every attempt);
 * - its backoff has no randomness, so the URL provider waits a random jitter first:
 *   thousands of phones dropped by one instance must not all return at once;
 * - with several URLs, each attempt takes the next one (fail over to another instance);
 * - its own send queue is bypassed: the caller keeps unacknowledged frames itself;
 * - `close()` waits for the real socket's close handshake, which partysocket does not expose.
 */
export function openReconnectingSocket(urls: readonly string[], token: TokenSource, handlers: SocketHandlers, backoff: BackoffOptions = {}): ReconnectingSocket {
  if (urls.length === 0) throw new Error('at least one URL is required');
  const b = { ...DEFAULTS, ...backoff };
  let currentToken = '';
  let current: WebSocket | undefined;
  const remember = (socket: WebSocket): void => {
    current = socket;
  };
  let attempt = 0;
  let closing = false;

  class AuthorizedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { authorization: `Bearer ${currentToken}` } });
      // partysocket removes its listeners before closing a socket that is still connecting
      // (a timeout, close()); ws then emits 'error' with no listener, which would throw.
      // Errors that matter reach partysocket through its own listener while it has one.
      this.on('error', () => undefined);
      remember(this);
    }
  }

  const nextUrl = async (): Promise<string> => {
    const url = urls[attempt % urls.length] as string;
    if (attempt > 0 && b.jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * b.jitterMs));
    attempt++;
    currentToken = typeof token === 'function' ? await token() : token;
    return url;
  };

  const rws = new ReconnectingWebSocket(nextUrl, null, {
    WebSocket: AuthorizedWebSocket,
    minReconnectionDelay: b.minDelayMs,
    maxReconnectionDelay: b.maxDelayMs,
    reconnectionDelayGrowFactor: b.growFactor,
    connectionTimeout: b.connectTimeoutMs,
    maxEnqueuedMessages: 0,
  });
  let open = false;
  rws.addEventListener('open', () => {
    open = true;
    handlers.onOpen();
  });
  rws.addEventListener('message', (event) => {
    const data: unknown = event.data;
    handlers.onText(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8'));
  });
  rws.addEventListener('close', (event) => {
    // partysocket also reports failed attempts as closes; only a lost open connection counts.
    if (!open) return;
    open = false;
    handlers.onClose(event.code, event.reason);
  });
  rws.addEventListener('error', (event) => {
    if (closing) return;
    const status = /Unexpected server response: (\d{3})/.exec(event.message)?.[1];
    handlers.onError(event.message, status ? Number(status) : undefined);
  });

  return {
    send(text) {
      if (!open || rws.readyState !== rws.OPEN) return false;
      return rws.send(text);
    },
    isOpen: () => open && rws.readyState === rws.OPEN,
    async close(code = 1000, reason = 'client closing') {
      closing = true;
      const socket = current;
      rws.close(code, reason);
      if (!socket || socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const timer = setTimeout(() => socket.terminate(), CLOSE_WAIT_MS);
      await closed;
      clearTimeout(timer);
    },
  };
}
