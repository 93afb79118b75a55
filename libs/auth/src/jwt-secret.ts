import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretSettings {
  NODE_ENV: string;
  JWT_SECRET?: string | undefined;
  DATA_DIR: string;
}

export interface ResolvedSecret {
  secret: string;
  /** Where it came from, for the start-up log line (never the secret). */
  source: 'env' | 'dev-file';
  file?: string;
}

/**
 * The signing secret. Production must set JWT_SECRET; development generates one
 * once and keeps it in DATA_DIR, so every local service and `npm run token` agree.
 */
export function resolveJwtSecret(settings: SecretSettings): ResolvedSecret {
  if (settings.JWT_SECRET) return { secret: settings.JWT_SECRET, source: 'env' };
  if (settings.NODE_ENV === 'production') {
    throw new Error('JWT_SECRET is required when NODE_ENV=production (at least 32 characters)');
  }
  const file = join(settings.DATA_DIR, 'dev-jwt-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return { secret: existing, source: 'dev-file', file };
  } catch {
    // not created yet
  }
  mkdirSync(settings.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return { secret, source: 'dev-file', file };
}
