/**
 * Failures of Redis or NATS that pass by themselves: a failover, a node restarting, a
 * reconnect under way, a service instance that did not answer in time. The caller should
 * send the request again, so they are answered 503 UNAVAILABLE rather than 500 INTERNAL,
 * which says "our bug". Recognised by name and message, not by class, so this library
 * does not depend on the clients that throw them.
 */

/** Error names of ioredis (connection given up) and of nats.js (connection, timeout, no responder). */
const TRANSIENT_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'AbortError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'ConnectionError',
  'TimeoutError',
  'NoResponders',
]);

/** ioredis rejects commands in flight with this plain Error when the socket closes. */
const CONNECTION_CLOSED = 'Connection is closed.';

/** Redis replies during a failover, a resharding or a restart (the cluster spec says to retry). */
const TRANSIENT_REPLY = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY)\b/;

export function isBackendUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(err.name) || err.message === CONNECTION_CLOSED) return true;
  if (err.name === 'ReplyError') return TRANSIENT_REPLY.test(err.message);
  // nats.js wraps "no responders" in a RequestError whose cause says so.
  return err.name === 'RequestError' && isBackendUnavailable(err.cause);
}
