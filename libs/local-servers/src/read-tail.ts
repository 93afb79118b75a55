import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The last `maxBytes` of a file from byte `from` on, or '' when it cannot be read. */
export function readTail(path: string, from = 0, maxBytes = 4000): string {
  try {
    const size = statSync(path).size;
    const start = Math.max(from, size - maxBytes);
    const length = size - start;
    if (length <= 0) return '';
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, start);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  } catch {
    return '';
  }
}
