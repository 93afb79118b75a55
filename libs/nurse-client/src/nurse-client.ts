import type { Availability, LocationReport, NurseInboxMessage, Order, Patient, Presence, VisitStep, Completion } from '@nursing/contracts';
import { CLIENT_ERROR_CODES, NurseClientError } from './client-error.ts';
import { createListeners } from './typed-listeners.ts';
import { createUnackedFrames, type OutgoingFrame, type Waiter } from './unacked-frames.ts';
import { openReconnectingSocket, type BackoffOptions, type TokenSource } from './reconnecting-socket.ts';

export interface NurseClientOptions {
  /** The gateway's nurse socket, e.g. ws://127.0.0.1:8080/ws/nurse; several: each reconnection tries the next. */
  url: string | readonly string[];
  token: TokenSource;
  backoff?: BackoffOptions;
  /** A request with no answer after this long (reconnections included) rejects with TIMEOUT. */
  requestTimeoutMs?: number;
  /**
   * After a reconnection, send the last status set again. The gateway sets a nurse
   * offline when her socket has been gone for a while; the app knows what she chose.
   */
  restoreStatus?: boolean;
}

export type InboxEvents = { [K in NurseInboxMessage['type']]: Extract<NurseInboxMessage, { type: K }> };

export interface NurseClientEvents extends InboxEvents {
  /** Connected; `reconnected` is false the first time. */
  open: { reconnected: boolean };
  /** The connection was lost; the client reconnects unless `close()` was called. */
  close: { code: number; reason: string };
  /** A connection problem. With code UNAUTHENTICATED or FORBIDDEN and a fixed token the client gives up and closes. */
  error: NurseClientError;
  /** A frame sent without a promise (a location, a restored status) was refused. */
  rejected: { frame: OutgoingFrame; error: NurseClientError };
  /** Every message pushed by the server that is not an answer: inbox messages and any type added later. */
  message: { type: string; [field: string]: unknown };
}

export interface Assignment {
  order: Order;
  patient: Patient;
}

export interface NurseClient {
  /** Sends a position fix. Not awaited: unanswered fixes are conflated to the latest and resent after a reconnection. */
  location(report: LocationReport): void;
  status(status: Availability): Promise<Presence>;
  accept(orderId: string): Promise<Assignment>;
  decline(orderId: string, reason: string): Promise<{ order: Order }>;
  grab(orderId: string): Promise<Assignment>;
  progress(orderId: string, step: VisitStep, extra?: { identityConfirmed?: boolean; completion?: Completion }): Promise<{ order: Order }>;
  /** Round trip to the gateway (answered by a pong). */
  ping(): Promise<void>;
  /** Any other client frame (a frame type added to the protocol later); resolves with the ack's result. */
  request(frame: { type: string; [field: string]: unknown }): Promise<unknown>;
  on<K extends keyof NurseClientEvents>(type: K, listener: (payload: NurseClientEvents[K]) => void): () => void;
  readonly connected: boolean;
  /** Frames sent or waiting to be sent that have no answer yet. */
  readonly unacknowledged: number;
  readonly reconnections: number;
  /** Stops reconnecting, rejects unanswered requests with CLIENT_CLOSED and closes the socket (code 1000). */
  close(): Promise<void>;
}

const AUTH_STATUSES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

/**
 * A nurse app's connection to the gateway. Every frame gets an id; a frame stays
 * "unacknowledged" until its ack, error or pong arrives, and is sent again after a
 * reconnection. Delivery is therefore at least once: a request whose first copy took
 * effect but whose ack was lost answers its resend with a conflict (e.g. an accept
 * resent after it succeeded: OFFER_NOT_ACTIVE); her `assigned` message tells the truth.
 */
export function createNurseClient(options: NurseClientOptions): NurseClient {
  const urls = typeof options.url === 'string' ? [options.url] : options.url;
  const listeners = createListeners<NurseClientEvents>();
  const unacked = createUnackedFrames({ timeoutMs: options.requestTimeoutMs ?? 60_000 });
  const restoreStatus = options.restoreStatus ?? true;
  let nextId = 1;
  let opens = 0;
  let lastStatus: Availability | undefined;
  let closed = false;

  const socket = openReconnectingSocket(
    urls,
    options.token,
    {
      onOpen() {
        opens++;
        if (opens > 1 && restoreStatus && lastStatus && !unacked.has('status')) {
          enqueue({ type: 'status', status: lastStatus }, undefined, false);
        }
        for (const frame of unacked.frames()) socket.send(JSON.stringify(frame));
        listeners.emit('open', { reconnected: opens > 1 });
      },
      onText: receive,
      onClose(code, reason) {
        listeners.emit('close', { code, reason });
      },
      onError(message, status) {
        const code = status !== undefined ? AUTH_STATUSES[status] : undefined;
        const error = new NurseClientError(code ?? CLIENT_ERROR_CODES.CONNECTION, message);
        listeners.emit('error', error);
        // A fixed token that the gateway refused will be refused again: retrying only adds load.
        if (code && typeof options.token === 'string') void shutDown(error);
      },
    },
    options.backoff,
  );

  function receive(text: string): void {
    let frame: { type?: unknown; id?: unknown; [field: string]: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      listeners.emit('error', new NurseClientError('VALIDATION_FAILED', 'the gateway sent a frame that is not JSON'));
      return;
    }
    const type = typeof frame.type === 'string' ? frame.type : '';
    if (type === 'ack' || type === 'error' || type === 'pong') return answer(type, frame);
    const message = frame as NurseClientEvents['message'];
    listeners.emit('message', message);
    if (type in INBOX_TYPES) listeners.emit(type as keyof InboxEvents, frame as never);
  }

  function answer(type: 'ack' | 'error' | 'pong', frame: Record<string, unknown>): void {
    const pending = typeof frame['id'] === 'number' ? unacked.take(frame['id']) : undefined;
    if (type === 'error') {
      const error = new NurseClientError(String(frame['code']), String(frame['message']));
      if (pending?.waiter) pending.waiter.reject(error);
      else if (pending) listeners.emit('rejected', { frame: pending.frame, error });
      else listeners.emit('error', error);
      return;
    }
    pending?.waiter?.resolve(type === 'ack' ? frame['result'] : undefined);
  }

  /** Keeps the frame until it is answered and sends it now if connected (else on the next open). */
  function enqueue(body: { type: string; [field: string]: unknown }, waiter: Waiter | undefined, sendNow = true): void {
    const frame: OutgoingFrame = { ...body, id: nextId++ };
    unacked.add(frame, waiter);
    if (sendNow) socket.send(JSON.stringify(frame));
  }

  function request<T>(body: { type: string; [field: string]: unknown }): Promise<T> {
    if (closed) return Promise.reject(new NurseClientError(CLIENT_ERROR_CODES.CLIENT_CLOSED, 'the client is closed'));
    return new Promise<T>((resolve, reject) => enqueue(body, { resolve: resolve as (r: unknown) => void, reject }));
  }

  async function shutDown(error: NurseClientError): Promise<void> {
    if (closed) return;
    closed = true;
    unacked.rejectAll(error);
    await socket.close(1000, 'client closing');
  }

  return {
    location(report) {
      if (!closed) enqueue({ type: 'location', ...report }, undefined);
    },
    status(status) {
      lastStatus = status;
      return request<Presence>({ type: 'status', status });
    },
    accept: (orderId) => request<Assignment>({ type: 'offer.accept', orderId }),
    decline: (orderId, reason) => request<{ order: Order }>({ type: 'offer.decline', orderId, reason }),
    grab: (orderId) => request<Assignment>({ type: 'grab', orderId }),
    progress: (orderId, step, extra = {}) => request<{ order: Order }>({ type: 'progress', orderId, step, ...extra }),
    ping: () => request<void>({ type: 'ping' }),
    request: (frame) => request<unknown>(frame),
    on: (type, listener) => listeners.on(type, listener),
    get connected() {
      return socket.isOpen();
    },
    get unacknowledged() {
      return unacked.size;
    },
    get reconnections() {
      return Math.max(0, opens - 1);
    },
    close: () => shutDown(new NurseClientError(CLIENT_ERROR_CODES.CLIENT_CLOSED, 'the client was closed')),
  };
}

/** Inbox message types that get their own event (every pushed message also goes to `message`). */
const INBOX_TYPES: Record<NurseInboxMessage['type'], true> = {
  offer: true,
  broadcast: true,
  taken: true,
  'offer.withdrawn': true,
  assigned: true,
  'order.updated': true,
  follow: true,
};
