/**
 * Stable error codes. Clients branch on these, so a code is never renamed or reused;
 * each maps to one HTTP status, the same on every transport (HTTP body, NATS error
 * reply, WebSocket error frame).
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ILLEGAL_TRANSITION: 409,
  OFFER_NOT_ACTIVE: 409,
  ORDER_TAKEN: 409,
  NURSE_BUSY: 409,
  UNKNOWN_CATALOG_ITEM: 422,
  NEGATIVE_LIST_ITEM: 422,
  FORBIDDEN_DRUG: 422,
  ASSESSMENT_MISSING: 422,
  CONSENT_MISSING: 422,
  NURSE_NOT_ELIGIBLE: 422,
  DOMAIN_RULE: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The HTTP status that goes with a code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}
