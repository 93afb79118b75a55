import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

// Debian puts nats-server in /usr/sbin, which is not on a normal user's PATH.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Absolute path of an executable named `name`, searched in PATH and then the usual
 * system bin/sbin folders; undefined when it is not installed.
 */
export function findBinary(name: string): string | undefined {
  if (name.includes('/')) {
    return isAbsolute(name) && isExecutableFile(name) ? name : undefined;
  }
  const pathDirs = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => isAbsolute(dir));
  for (const dir of new Set([...pathDirs, ...EXTRA_DIRS])) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
