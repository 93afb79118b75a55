import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh namespace such as `t_k3x9q2mz` for one test suite (valid for the product's
 * /^[a-z][a-z0-9_]{0,30}$/). The random part has a fixed length and no `_`, so no test
 * namespace's `${NS}_` stream prefix covers another's.
 */
export function testNamespace(): string {
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `t_${suffix}`;
}
