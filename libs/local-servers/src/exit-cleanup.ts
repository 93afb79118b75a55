import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// Children and temp dirs still around when this process exits, e.g. because a test run
// crashed before calling stop(). 'exit' handlers must be synchronous, which kill and
// rmSync are. A fatal signal skips 'exit', so those are covered separately below.
const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hookInstalled = false;

const FATAL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function cleanUpNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

// When someone else handles the signal (e.g. the launcher's graceful shutdown), they
// decide when to exit and the 'exit' hook runs then. When nobody does, clean up and let
// the signal kill us as it would have without this listener.
function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  cleanUpNow();
  process.removeListener(signal, onFatalSignal);
  process.kill(process.pid, signal);
}

function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', cleanUpNow);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

/** Kills `child` with SIGKILL if it is still running when this process exits. */
export function killOnExit(child: ChildProcess): void {
  installHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** Removes `dir` when this process exits unless {@link forgetTempDir} was called. */
export function removeOnExit(dir: string): void {
  installHook();
  tempDirs.add(dir);
}

/** Stops tracking a temp dir that its owner has removed already. */
export function forgetTempDir(dir: string): void {
  tempDirs.delete(dir);
}
