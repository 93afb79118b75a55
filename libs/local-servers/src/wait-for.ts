import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** What is being waited for, used in the timeout error. */
  message?: string;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

const TIMED_OUT = Symbol('timed out');

/**
 * Calls `predicate` until it returns (or resolves to) a truthy value and returns that
 * value. A throwing predicate counts as "not yet"; its last error is quoted when the
 * wait times out. An attempt that hangs is abandoned at the deadline.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 5000, intervalMs = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), Math.max(remaining, 0));
    });
    try {
      const result = await Promise.race([Promise.resolve().then(predicate), expired]);
      if (result !== TIMED_OUT && result) return result as Truthy<T>;
    } catch (error) {
      lastError = error;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() + intervalMs > deadline) break;
    await sleep(intervalMs);
  }
  const detail = lastError === undefined ? '' : ` (last error: ${messageOf(lastError)})`;
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${detail}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
