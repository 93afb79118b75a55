import { describe, expect, it } from 'vitest';
import { createSigner } from 'fast-jwt';
import { UnauthenticatedError } from '@nursing/contracts';
import { createTokenSigner, createTokenVerifier, extractBearer } from '../src/index.ts';

const SECRET = 'a'.repeat(40);

function failure(fn: () => unknown): UnauthenticatedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnauthenticatedError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('tokens', () => {
  const verify = createTokenVerifier(SECRET);

  it('round-trips claims', () => {
    const token = createTokenSigner(SECRET)({ sub: 'c1', role: 'coordinator', institution: 'i1' });
    expect(verify(token)).toEqual({ sub: 'c1', role: 'coordinator', institution: 'i1' });
  });

  it.each([
    ['forged (other secret)', createTokenSigner('b'.repeat(40))({ sub: 'x', role: 'admin' }), 'token signature invalid'],
    ['garbage', 'not-a-jwt', 'token malformed'],
    ['unknown role', createSigner({ key: SECRET })({ sub: 'x', role: 'root' }), 'token claims invalid'],
    ['nurse without institution', createSigner({ key: SECRET })({ sub: 'n1', role: 'nurse' }), 'a nurse token needs an institution claim'],
    ['expired', createSigner({ key: SECRET, expiresIn: 1 })({ sub: 'x', role: 'admin', iat: 1 }), 'token expired'],
  ])('refuses %s', (_name, token, message) => {
    expect(failure(() => verify(token)).message).toBe(message);
  });

  it('reads a bearer header or a query token', () => {
    expect(extractBearer('Bearer abc')).toBe('abc');
    expect(extractBearer(undefined, 'q')).toBe('q');
    expect(failure(() => extractBearer('Basic abc')).message).toMatch(/Bearer/);
    expect(failure(() => extractBearer(undefined)).message).toBe('missing bearer token');
  });
});
