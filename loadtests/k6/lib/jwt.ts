import crypto from 'k6/crypto';
import encoding from 'k6/encoding';

export interface Claims {
  sub: string;
  role: 'admin' | 'coordinator' | 'nurse' | 'security';
  institution?: string;
}

/** An HS256 bearer token as the services' verifier expects (sub, role, institution, exp). */
export function signToken(claims: Claims, secret: string, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const header = encoding.b64encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), 'rawurl');
  const payload = encoding.b64encode(JSON.stringify({ ...claims, iat: now, exp: now + ttlSeconds }), 'rawurl');
  const signature = crypto.hmac('sha256', secret, `${header}.${payload}`, 'base64rawurl');
  return `${header}.${payload}.${signature}`;
}
