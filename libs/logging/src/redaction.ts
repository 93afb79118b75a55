/**
 * Fields that must never reach a log line: patient identity and address, and secrets.
 * Patient objects are removed whole, wherever they sit up to three levels deep, so a
 * new patient field is covered without touching this list.
 */
const SENSITIVE_KEYS = [
  'patient',
  'patientName',
  'patientPhone',
  'patientAddress',
  'address',
  'phone',
  'token',
  'accessToken',
  'password',
  'secret',
  'authorization',
  'cookie',
  'JWT_SECRET',
];

export const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  ...SENSITIVE_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
];

export const REDACTED = '[redacted]';

/** Browsers pass the token in the query string of a WebSocket URL; never log it. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, `$1${REDACTED}`);
}
