import { createSigner, createVerifier } from 'fast-jwt';
import { compileSchema, TokenClaims, UnauthenticatedError } from '@nursing/contracts';

const claimsValidator = compileSchema(TokenClaims);

export const TOKEN_ALGORITHM = 'HS256';
export const DEFAULT_TOKEN_TTL_S = 12 * 3600;

/** Signs bearer tokens. Used by the dev token CLI and by tests; production tokens come from the identity provider. */
export function createTokenSigner(secret: string, ttlSeconds = DEFAULT_TOKEN_TTL_S) {
  const sign = createSigner({ key: secret, algorithm: TOKEN_ALGORITHM, expiresIn: ttlSeconds * 1000 });
  return (claims: TokenClaims): string => sign({ ...claims });
}

export type TokenVerifier = (token: string) => TokenClaims;

/**
 * Verifies signature, expiry and the claims' shape. Every failure is an
 * UnauthenticatedError whose message says what was wrong, never the token itself.
 */
export function createTokenVerifier(secret: string): TokenVerifier {
  const verify = createVerifier({ key: secret, algorithms: [TOKEN_ALGORITHM], cache: 1000 });
  return (token) => {
    let payload: unknown;
    try {
      payload = verify(token);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why = code === 'FAST_JWT_EXPIRED' ? 'token expired' : code === 'FAST_JWT_INVALID_SIGNATURE' ? 'token signature invalid' : 'token malformed';
      throw new UnauthenticatedError(why, { cause: err });
    }
    const { sub, role, institution } = payload as Record<string, unknown>;
    const claims = { sub, role, ...(institution === undefined ? {} : { institution }) };
    if (!claimsValidator.check(claims)) throw new UnauthenticatedError('token claims invalid');
    if ((claims.role === 'nurse' || claims.role === 'coordinator') && !claims.institution) {
      throw new UnauthenticatedError(`a ${claims.role} token needs an institution claim`);
    }
    return claims;
  };
}

/** Reads the token from `Authorization: Bearer …`, or from `?token=` (browsers cannot set headers on WebSockets). */
export function extractBearer(authorization: string | undefined, queryToken?: string): string {
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new UnauthenticatedError('Authorization header must be "Bearer <token>"');
    return match[1];
  }
  if (queryToken) return queryToken;
  throw new UnauthenticatedError('missing bearer token');
}
