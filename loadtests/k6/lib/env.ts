// Where the system is and how to sign tokens, from k6's environment (-e NAME=value).
// Only loopback targets: these scripts are for the machine the system runs on.
export const BASE_URL = __ENV['BASE_URL'] || 'http://127.0.0.1:8080';
export const WS_URL = BASE_URL.replace(/^http/, 'ws');
/** The server's signing secret: JWT_SECRET, or the contents of .data/dev-jwt-secret after `npm start`. */
export const JWT_SECRET = __ENV['JWT_SECRET'] || '';
/** Prefix of every id the scripts register, so runs do not collide with the simulator's. */
export const PREFIX = __ENV['PREFIX'] || 'k6';
export const CENTRE = { lat: 31.2304, lng: 121.4737 };

export function requireSecret(): string {
  if (JWT_SECRET.length < 32) throw new Error('set -e JWT_SECRET=<the server secret> (see .data/dev-jwt-secret after npm start)');
  return JWT_SECRET;
}

export function intEnv(name: string, fallback: number): number {
  const raw = __ENV[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) ? n : fallback;
}
