import { statusOf, type ErrorCode } from './error-codes.ts';
import { isBackendUnavailable } from './backend-errors.ts';

/** One problem in a rejected input, pointing at the field (JSON pointer). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  cause?: unknown;
  /** Safe to show the caller: field problems, ineligibility reasons. Never patient data. */
  details?: unknown;
}

/**
 * Base of every error the product raises on purpose. Its message is shown to the
 * caller, so it must never carry secrets or patient details.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return statusOf(this.code);
  }

  /** The public shape: `{ error: { code, message, details? } }`. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class ValidationError extends AppError {
  constructor(message: string, problems: FieldProblem[] = [], options: AppErrorOptions = {}) {
    super('VALIDATION_FAILED', message, { ...options, details: problems.length ? { problems } : options.details });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'a valid bearer token is required', options: AppErrorOptions = {}) {
    super('UNAUTHENTICATED', message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'not allowed for this role', options: AppErrorOptions = {}) {
    super('FORBIDDEN', message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

/** A request that conflicts with the current state (409). */
export class ConflictError extends AppError {
  constructor(
    code: Extract<ErrorCode, 'ALREADY_EXISTS' | 'ILLEGAL_TRANSITION' | 'OFFER_NOT_ACTIVE' | 'ORDER_TAKEN' | 'NURSE_BUSY'>,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** Well-formed input that a domain rule refuses (422), with the rule's reason. */
export class DomainRuleError extends AppError {
  constructor(
    code: Extract<
      ErrorCode,
      | 'UNKNOWN_CATALOG_ITEM'
      | 'NEGATIVE_LIST_ITEM'
      | 'FORBIDDEN_DRUG'
      | 'ASSESSMENT_MISSING'
      | 'CONSENT_MISSING'
      | 'NURSE_NOT_ELIGIBLE'
      | 'DOMAIN_RULE'
    >,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

export class RateLimitedError extends AppError {
  constructor(message = 'too many requests', options: AppErrorOptions = {}) {
    super('RATE_LIMITED', message, options);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('UNAVAILABLE', message, options);
  }
}

/**
 * Wraps anything thrown into an AppError: Redis or NATS briefly unreachable becomes
 * UNAVAILABLE (send it again), anything else unknown INTERNAL with a bland message.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isBackendUnavailable(err)) return new UnavailableError('a backing service is briefly unavailable, try again', { cause: err });
  return new AppError('INTERNAL', 'internal error', { cause: err });
}
