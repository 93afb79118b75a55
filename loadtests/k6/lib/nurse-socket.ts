import { WebSocket } from 'k6/websockets';
import { Trend, Counter } from 'k6/metrics';
import { WS_URL } from './env.ts';

export const ackLatency = new Trend('nurse_ack_ms', true);
export const frameErrors = new Counter('nurse_frame_errors');

export interface ServerFrame {
  type: string;
  id?: number;
  code?: string;
  orderId?: string;
  [field: string]: unknown;
}

/**
 * A nurse's socket: every frame gets an id, acks are timed (nurse_ack_ms), error frames
 * counted (nurse_frame_errors) unless `expected` says the code is a normal race.
 */
export function openNurseSocket(token: string, onFrame: (frame: ServerFrame, socket: NurseSocket) => void, expected: string[] = []): NurseSocket {
  const ws = new WebSocket(`${WS_URL}/ws/nurse`, null, { headers: { authorization: `Bearer ${token}` } });
  const sentAt = new Map<number, number>();
  let nextId = 1;
  const socket: NurseSocket = {
    ws,
    send(frame) {
      const id = nextId++;
      sentAt.set(id, Date.now());
      ws.send(JSON.stringify({ ...frame, id }));
      return id;
    },
  };
  ws.addEventListener('message', (event) => {
    const frame = JSON.parse(String((event as { data: unknown }).data)) as ServerFrame;
    if ((frame.type === 'ack' || frame.type === 'error' || frame.type === 'pong') && typeof frame.id === 'number') {
      const t = sentAt.get(frame.id);
      sentAt.delete(frame.id);
      if (t !== undefined) ackLatency.add(Date.now() - t, { frame: frame.type === 'ack' ? String(frame['of']) : frame.type });
      if (frame.type === 'error' && !expected.includes(String(frame.code))) frameErrors.add(1, { code: String(frame.code) });
    }
    onFrame(frame, socket);
  });
  return socket;
}

export interface NurseSocket {
  ws: WebSocket;
  /** Sends a frame with a fresh id and returns the id. */
  send(frame: { type: string; [field: string]: unknown }): number;
}
