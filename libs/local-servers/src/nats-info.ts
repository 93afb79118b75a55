import { connect } from 'node:net';

/** The fields of a nats-server INFO greeting that readiness checks use. */
export interface NatsServerInfo {
  server_id: string;
  server_name: string;
  version: string;
  jetstream?: boolean;
}

/**
 * Reads the INFO line a nats-server sends to every new client connection. Needs no
 * NATS client library and tells which server process holds the port.
 */
export function readNatsInfo(port: number, { host = '127.0.0.1', timeoutMs = 1000 } = {}): Promise<NatsServerInfo> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (error: Error | undefined, info?: NatsServerInfo): void => {
      clearTimeout(timer);
      socket.destroy();
      if (info) resolve(info);
      else reject(error ?? new Error('no INFO from nats-server'));
    };
    const timer = setTimeout(() => finish(new Error(`no INFO from nats-server on port ${port}`)), timeoutMs);
    socket.once('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd < 0) return;
      const line = received.slice(0, lineEnd);
      if (!line.startsWith('INFO ')) {
        finish(new Error(`unexpected greeting on port ${port}: ${line.slice(0, 80)}`));
        return;
      }
      try {
        finish(undefined, JSON.parse(line.slice(5)) as NatsServerInfo);
      } catch (error) {
        finish(error as Error);
      }
    });
    socket.once('close', () => finish(new Error(`nats-server on port ${port} closed the connection`)));
  });
}
