/** Prints `line()` every `everyMs` through `say` while a phase runs; returns stop(). */
export function tickProgress(say: (line: string) => void, line: () => string, everyMs = 3_000): () => void {
  const timer = setInterval(() => say(line()), everyMs);
  return () => clearInterval(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `12345.6` -> `12,346`. */
export const int = (v: number) => Math.round(v).toLocaleString('en-US');
