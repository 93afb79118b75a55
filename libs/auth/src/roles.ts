import { ForbiddenError, type Role, type TokenClaims } from '@nursing/contracts';

/** Throws ForbiddenError unless the caller has one of the roles. */
export function requireRole(claims: TokenClaims, ...roles: Role[]): void {
  if (!roles.includes(claims.role)) {
    throw new ForbiddenError(`requires role ${roles.join(' or ')}, token has ${claims.role}`);
  }
}

/** Coordinators act only within their institution; admins anywhere. */
export function requireInstitutionAccess(claims: TokenClaims, institutionId: string): void {
  if (claims.role === 'admin') return;
  if (claims.institution !== institutionId) {
    throw new ForbiddenError('outside your institution');
  }
}
