import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { UnauthenticatedError, type Role, type TokenClaims } from '@nursing/contracts';
import { extractBearer, requireRole, type TokenVerifier } from '@nursing/auth';

declare module 'fastify' {
  interface FastifyRequest {
    claims: TokenClaims | null;
  }
}

export interface AuthDeps {
  verifyToken: TokenVerifier;
  /** True when the token's subject belongs to a disabled account (staff who left). */
  isDisabled: (sub: string) => Promise<boolean>;
}

/** Verifies the bearer token of a request (header, or `?token=` for browsers' WebSockets). */
export async function authenticateRequest(request: FastifyRequest, deps: AuthDeps): Promise<TokenClaims> {
  const query = request.query as Record<string, unknown> | undefined;
  const queryToken = typeof query?.['token'] === 'string' ? query['token'] : undefined;
  const claims = deps.verifyToken(extractBearer(request.headers.authorization, queryToken));
  if (await deps.isDisabled(claims.sub)) throw new UnauthenticatedError('account disabled');
  request.claims = claims;
  return claims;
}

/**
 * Adds `app.auth(...roles)`, a preHandler that authenticates and checks the role.
 * Routes declare who may call them next to their schema.
 */
export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('claims', null);
  app.decorate('auth', (...roles: Role[]): preHandlerAsyncHookHandler => async (request) => {
    const claims = await authenticateRequest(request, deps);
    if (roles.length) requireRole(claims, ...roles);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    auth(...roles: Role[]): preHandlerAsyncHookHandler;
  }
}

/** The claims of an authenticated request; a route without `app.auth` calling this is a bug. */
export function claimsOf(request: FastifyRequest): TokenClaims {
  if (!request.claims) throw new UnauthenticatedError();
  return request.claims;
}
