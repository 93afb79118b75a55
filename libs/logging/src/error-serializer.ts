import { pino } from 'pino';

/**
 * pino's error serializer, minus the arguments of a failed Redis command. ioredis attaches
 * the command to its errors (`err.command = { name, args }`), and the args of a write are
 * the stored documents: an order with its patient's name and address, as one string that
 * no redaction path can see into. The name and the argument count are kept.
 */
export function serializeError(err: Error): ReturnType<typeof pino.stdSerializers.err> {
  const out = pino.stdSerializers.err(err);
  const command: unknown = out['command'];
  if (typeof command === 'object' && command !== null) {
    const { name, args } = command as { name?: unknown; args?: unknown };
    out['command'] = { name, argCount: Array.isArray(args) ? args.length : undefined };
  }
  return out;
}
