import { connect } from 'node:net';

/** A reply of {@link redisCommand}: simple/bulk strings and integers, or a server error. */
export type RedisReply = string | number | null | { error: string };

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

// Parses one non-array RESP2 reply; undefined while more bytes are needed.
function parse(buffer: Buffer): RedisReply | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[0] ?? 0);
  const line = buffer.subarray(1, lineEnd).toString('utf8');
  switch (type) {
    case '+':
      return line;
    case '-':
      return { error: line };
    case ':':
      return Number(line);
    case '$': {
      const length = Number(line);
      if (length < 0) return null;
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return buffer.subarray(start, start + length).toString('utf8');
    }
    default:
      throw new Error(`unsupported RESP reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Sends one command to a Redis server over a fresh connection and returns its reply.
 * Dependency-free and without reconnect logic, which suits readiness probes.
 */
export function redisCommand(
  port: number,
  args: readonly string[],
  { host = '127.0.0.1', timeoutMs = 1000 }: { host?: string; timeoutMs?: number } = {},
): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply?: RedisReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? null);
    };
    const timer = setTimeout(() => finish(new Error(`redis command ${args[0]} timed out on port ${port}`)), timeoutMs);
    socket.once('error', (error) => finish(error));
    socket.once('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const reply = parse(received);
        if (reply !== undefined) finish(undefined, reply);
      } catch (error) {
        finish(error as Error);
      }
    });
    socket.once('close', () => finish(new Error(`connection to redis on port ${port} closed before a reply`)));
  });
}
