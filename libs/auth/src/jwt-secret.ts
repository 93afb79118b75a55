import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

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
  const dataDir = isAbsolute(settings.DATA_DIR) ? settings.DATA_DIR : resolve(projectRoot(), settings.DATA_DIR);
  const file = join(dataDir, 'dev-jwt-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return { secret: existing, source: 'dev-file', file };
  } catch {
    // not created yet
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return { secret, source: 'dev-file', file };
}

/**
 * The workspace root (the package.json with "workspaces"), so a service started from
 * its own folder (`npm start -w @nursing/dispatch`) finds the same dev secret as the rest.
 */
function projectRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('"workspaces"')) return dir;
    if (dirname(dir) === dir) return from;
  }
}
