import type { WebSocket } from 'ws';

/**
 * One timer for all sockets of the instance: each tick pings every socket and
 * terminates those that did not answer the previous ping, so a socket with no pong
 * for two intervals (30 s by default) is gone. Phones that lose coverage leave
 * half-open TCP connections that would otherwise hold subscriptions forever.
 */
export function createHeartbeat(intervalMs = 15_000) {
  const alive = new Map<WebSocket, boolean>();
  let timer: NodeJS.Timeout | undefined;

  return {
    track(socket: WebSocket): void {
      alive.set(socket, true);
      socket.on('pong', () => alive.set(socket, true));
      socket.on('close', () => alive.delete(socket));
    },
    start(): void {
      timer = setInterval(() => {
        for (const [socket, answered] of alive) {
          if (!answered) {
            socket.terminate();
            alive.delete(socket);
            continue;
          }
          alive.set(socket, false);
          socket.ping();
        }
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      alive.clear();
    },
  };
}
