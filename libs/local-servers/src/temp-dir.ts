import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetTempDir, removeOnExit } from './exit-cleanup.ts';

/** Creates a fresh directory under os.tmpdir() that is removed at process exit at the latest. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  removeOnExit(dir);
  return dir;
}

/** Removes a directory made by {@link makeTempDir} now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  forgetTempDir(dir);
}
