import type { RawData, WebSocket } from 'ws';
import { ValidationError, WS_CLOSE, compileSchema, type Validator } from '@nursing/contracts';
import type { TSchema, Static } from 'typebox';
import type { Logger } from '@nursing/logging';
import { sendError, type FrameIdValue } from './send-frame.ts';
import { createTokenBucket } from './token-bucket.ts';

export interface FrameLimits {
  /** Sustained frames per second before the socket is closed with 4429. */
  ratePerSec: number;
  burst: number;
  /** Invalid frames tolerated within `invalidWindowMs`; the last one closes with 4400. */
  maxInvalid: number;
  invalidWindowMs: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = { ratePerSec: 20, burst: 40, maxInvalid: 10, invalidWindowMs: 60_000 };

type FrameOf<M extends Record<string, TSchema>> = { [K in keyof M]: Static<M[K]> }[keyof M];

/** Compiles a socket's frame schemas once, at module load (one validator per type). */
export function compileFrames<M extends Record<string, TSchema>>(schemas: M): Map<string, Validator<FrameOf<M>>> {
  const out = new Map<string, Validator<FrameOf<M>>>();
  for (const [type, schema] of Object.entries(schemas)) out.set(type, compileSchema(schema) as Validator<FrameOf<M>>);
  return out;
}

export interface FrameReaderOptions<F> {
  socket: WebSocket;
  frames: Map<string, Validator<F>>;
  /** Handles one valid frame; a throw becomes an error frame carrying the frame's id. */
  onFrame: (frame: F) => Promise<void> | void | undefined;
  log: Logger;
  now: () => number;
  limits?: FrameLimits;
}

/**
 * The front door of every socket: rate limit, JSON, known type, schema. A frame that
 * fails any check gets an error frame and changes nothing; too many of them, or too
 * many frames, and the socket is closed (a broken or hostile client must not cost the
 * instance more than a well-behaved one).
 */
export function readFrames<F extends { type: string; id?: FrameIdValue }>(options: FrameReaderOptions<F>): void {
  const { socket, frames, onFrame, log, now } = options;
  const limits = options.limits ?? DEFAULT_FRAME_LIMITS;
  const bucket = createTokenBucket(limits.ratePerSec, limits.burst, now);
  const invalidAt: number[] = [];

  const refuse = (error: ValidationError, id: FrameIdValue): void => {
    sendError(socket, id, error);
    const t = now();
    invalidAt.push(t);
    while (invalidAt.length > 0 && (invalidAt[0] as number) <= t - limits.invalidWindowMs) invalidAt.shift();
    if (invalidAt.length >= limits.maxInvalid) socket.close(WS_CLOSE.TOO_MANY_INVALID, 'too many invalid frames');
  };

  const failed = (frame: F, err: unknown): void => {
    if (!(err instanceof ValidationError)) log.debug({ err, type: frame.type }, 'frame failed');
    sendError(socket, frame.id, err);
  };

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!bucket.take()) {
      socket.close(WS_CLOSE.RATE_LIMITED, 'too many frames');
      return;
    }
    if (isBinary) return refuse(new ValidationError('invalid frame: binary frames are not accepted'), undefined);
    let value: unknown;
    try {
      value = JSON.parse(rawText(data));
    } catch {
      return refuse(new ValidationError('invalid frame: not valid JSON'), undefined);
    }
    const id = idOf(value);
    const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') return refuse(new ValidationError('invalid frame: /type is missing'), id);
    const validator = frames.get(type);
    if (!validator) return refuse(new ValidationError(`invalid frame: unknown type ${JSON.stringify(type.slice(0, 40))}`), id);
    let frame: F;
    try {
      frame = validator.parse(value, `${type} frame`);
    } catch (err) {
      return refuse(err as ValidationError, id);
    }
    // Called at once, not on a microtask: a handler with nothing to wait for (a location fix) makes no promise or closure.
    let pending: Promise<void> | void | undefined;
    try {
      pending = onFrame(frame);
    } catch (err) {
      return failed(frame, err);
    }
    pending?.catch((err: unknown) => failed(frame, err));
  });
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8'); // ws's default: no copy
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The id of a frame that failed validation, if it looks like one, so the error can be matched. */
function idOf(value: unknown): FrameIdValue {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  if ((typeof id === 'string' && id.length <= 64) || (typeof id === 'number' && Number.isInteger(id))) return id;
  return undefined;
}
