/**
 * A namespace isolates one deployment (or one test suite) on shared Redis and NATS:
 * every Redis key starts with `<ns>:`, every NATS subject with `<ns>.`, every
 * JetStream stream and consumer name with `<NS>_`.
 */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

export const DEFAULT_NAMESPACE = 'hn';

/** Throws when `ns` would break a key, a subject or a stream name. */
export function assertNamespace(ns: string): string {
  if (!NAMESPACE_PATTERN.test(ns)) {
    throw new Error(`namespace "${ns}" must match ${NAMESPACE_PATTERN} (lowercase letters, digits, _)`);
  }
  return ns;
}
