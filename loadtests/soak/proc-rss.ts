import { readFileSync } from 'node:fs';

/** A process's resident set size in MB from /proc (Linux), without disturbing it; undefined elsewhere. */
export function procRssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    const kb = line?.match(/(\d+)\s*kB/)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
