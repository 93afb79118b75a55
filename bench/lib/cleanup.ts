import type { ChildProcess } from 'node:child_process';

/**
 * Undo actions for what a benchmark creates outside this process: child processes
 * (servers, client fleets) and keys and streams on the shared Redis and NATS.
 * Benchmarks also clean up in `finally`; this covers Ctrl-C and crashes.
 */
const pending = new Set<() => Promise<void>>();
const children = new Set<ChildProcess>();

/** Registers `fn`; call the returned function once the resource is gone. */
export function deferCleanup(fn: () => Promise<void>): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

/**
 * Kills `child` when this process exits, however it exits ('exit' handlers must be
 * synchronous; kill is). Children also exit on their own when their IPC channel to us
 * closes, which covers a SIGKILL of this process.
 */
export function killOnExit(child: ChildProcess): void {
  if (!process.listeners('exit').includes(killChildren)) process.on('exit', killChildren);
  children.add(child);
  child.once('exit', () => children.delete(child));
}

function killChildren(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  children.clear();
}

/** Kills remaining children first (they write to the keys about to be deleted), then runs the undo actions. */
export async function runPendingCleanups(): Promise<void> {
  killChildren();
  const fns = [...pending];
  pending.clear();
  await Promise.allSettled(fns.map((fn) => fn()));
}
