import { WebSocket } from 'ws';
import type { AckFrame, ErrorFrame } from '@nursing/contracts';
import { toAppError } from '@nursing/contracts';

/** A client frame's optional id, echoed in its answer. */
export type FrameIdValue = string | number | undefined;

/** Sends a frame if the socket is still open; a closing socket just drops it. */
export function sendFrame(socket: WebSocket, frame: object): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

/** Sends text that is already a JSON frame (inbox messages are forwarded without re-encoding). */
export function sendRaw(socket: WebSocket, text: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(text);
}

export function sendAck(socket: WebSocket, of: string, id: FrameIdValue, result?: unknown): void {
  if (result === undefined) {
    // The common case (every location fix): the same bytes as the object below, without building it.
    if (socket.readyState === WebSocket.OPEN) socket.send(`{"type":"ack","of":${JSON.stringify(of)},"ok":true${id === undefined ? '' : `,"id":${JSON.stringify(id)}`}}`);
    return;
  }
  const frame: AckFrame = { type: 'ack', of, ok: true };
  if (id !== undefined) frame.id = id;
  if (result !== undefined) frame.result = result;
  sendFrame(socket, frame);
}

/** Error frames carry the stable code and a message safe for the client (AppError's contract). */
export function sendError(socket: WebSocket, id: FrameIdValue, error: unknown): void {
  const { code, message } = errorOf(error);
  const frame: ErrorFrame = { type: 'error', code, message };
  if (id !== undefined) frame.id = id;
  sendFrame(socket, frame);
}

function errorOf(error: unknown): { code: string; message: string } {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error && !(error instanceof Error)) {
    // A dispatch reply's error: already a public { code, message }.
    return { code: String(error.code), message: String(error.message) };
  }
  const appError = toAppError(error);
  return { code: appError.code, message: appError.message };
}
