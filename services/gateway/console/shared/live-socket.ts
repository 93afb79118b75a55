import ReconnectingWebSocket from 'partysocket/ws';

export type SocketState = 'connecting' | 'open' | 'closed';

/** A frame from the gateway, parsed. */
export type SocketFrame = { type: string; [k: string]: unknown };

export interface LiveSocket {
  send(frame: object): void;
  readonly state: SocketState;
  close(): void;
}

/**
 * A socket to the gateway that reconnects by itself (with backoff), carrying the token
 * as `?token=` since browsers cannot set headers on WebSockets. `onOpen` runs after
 * every (re)connection, so callers resend what the server must know (the viewport).
 */
export function openLiveSocket(options: {
  path: string;
  token: () => string;
  onFrame: (frame: SocketFrame) => void;
  onOpen?: () => void;
  onState?: (state: SocketState) => void;
}): LiveSocket {
  const url = () => {
    const base = new URL(options.path, location.href);
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    base.searchParams.set('token', options.token());
    return base.toString();
  };
  let state: SocketState = 'connecting';
  const setState = (next: SocketState) => {
    state = next;
    options.onState?.(next);
  };
  const ws = new ReconnectingWebSocket(url, [], { minReconnectionDelay: 500, maxReconnectionDelay: 10_000, connectionTimeout: 8_000 });
  ws.addEventListener('open', () => {
    setState('open');
    options.onOpen?.();
  });
  ws.addEventListener('close', () => setState('closed'));
  ws.addEventListener('message', (event) => {
    let frame: { type: string };
    try {
      frame = JSON.parse(String(event.data)) as { type: string };
    } catch {
      return;
    }
    options.onFrame(frame);
  });
  return {
    send: (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    },
    get state() {
      return state;
    },
    close: () => ws.close(),
  };
}
