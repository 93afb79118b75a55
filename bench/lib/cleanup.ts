/**
 * Undo actions for resources a benchmark creates outside the process (Redis keys on
 * the shared server). Benchmarks also clean up in `finally`; this covers Ctrl-C.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `fn`; call the returned function once the resource is gone. */
export function deferCleanup(fn: () => Promise<void>): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

export async function runPendingCleanups(): Promise<void> {
  const fns = [...pending];
  pending.clear();
  await Promise.allSettled(fns.map((fn) => fn()));
}
