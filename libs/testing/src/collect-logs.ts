import { Writable } from 'node:stream';

/** What a pino logger wrote into {@link collectLogs}' stream. */
export interface LogCollector {
  /** Pass as pino's destination: `pino(options, logs.stream)`. */
  stream: Writable;
  /** The records written so far, parsed from pino's JSON lines. */
  lines(): Record<string, unknown>[];
  /** Everything written so far, verbatim. */
  text(): string;
}

/**
 * An in-memory pino destination for asserting on what a logger actually wrote (and on
 * what it must not write, such as secrets). Writes land synchronously.
 */
export function collectLogs(): LogCollector {
  let written = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      written += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      callback();
    },
  });
  return {
    stream,
    text: () => written,
    lines: () =>
      written
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new Error(`collectLogs: not a JSON log line (is a pretty transport in the way?): ${line}`);
          }
        }),
  };
}
