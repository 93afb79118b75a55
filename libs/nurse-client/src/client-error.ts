/**
 * Codes the client itself produces, next to the server's stable codes
 * (VALIDATION_FAILED, ORDER_TAKEN, UNAVAILABLE, …) that error frames carry.
 */
export const CLIENT_ERROR_CODES = {
  /** No ack within `requestTimeoutMs` (across reconnects). */
  TIMEOUT: 'TIMEOUT',
  /** `close()` was called while the frame was still unacknowledged. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
  /** A newer location replaced this one before it was acknowledged. */
  SUPERSEDED: 'SUPERSEDED',
  /** The socket failed (refused, reset, timed out); the client reconnects by itself. */
  CONNECTION: 'CONNECTION',
} as const;

/** A refused frame or a failed connection; `code` is the server's error code or one of CLIENT_ERROR_CODES. */
export class NurseClientError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NurseClientError';
    this.code = code;
  }
}
