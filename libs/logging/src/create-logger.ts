import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED, REDACT_PATHS, redactUrl } from './redaction.ts';
import { serializeError } from './error-serializer.ts';

export type { Logger } from 'pino';

export interface LoggerSettings {
  name: string;
  level?: string;
  /** Pretty output for humans; defaults to on when stdout is a terminal and not in production. */
  pretty?: boolean;
}

interface RequestLike {
  method?: string;
  url?: string;
  id?: string;
  ip?: string;
}

/**
 * The product's logger: JSON lines, object first and message second, patient
 * fields and secrets redacted. Pass `destination` to capture output (tests).
 */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name: settings.name,
    level: settings.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: RequestLike) => ({ id: req.id, method: req.method, url: req.url ? redactUrl(req.url) : undefined }),
      err: serializeError,
    },
  };
  if (destination) return pino(options, destination);
  const pretty = settings.pretty ?? (process.stdout.isTTY && process.env['NODE_ENV'] !== 'production');
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(options);
}
