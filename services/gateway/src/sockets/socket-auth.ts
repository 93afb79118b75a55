import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { requireRole } from '@nursing/auth';
import { authenticateRequest, type AuthDeps } from '@nursing/service-kit';
import type { Role, TokenClaims } from '@nursing/contracts';

/**
 * Authenticates the WebSocket handshake before the upgrade: a missing or bad token
 * answers HTTP 401, a wrong role 403, and no socket is ever opened for them.
 */
export function socketAuth(authDeps: AuthDeps, ...roles: Role[]): preValidationAsyncHookHandler {
  return async (request) => {
    const claims = await authenticateRequest(request, authDeps);
    requireRole(claims, ...roles);
  };
}

/** Claims set by {@link socketAuth}; a socket route without it is a bug. */
export function socketClaims(request: FastifyRequest): TokenClaims {
  if (!request.claims) throw new Error('socket route without socketAuth');
  return request.claims;
}
