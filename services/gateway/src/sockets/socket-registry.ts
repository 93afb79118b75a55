import type { WebSocket } from 'ws';
import type { ServiceMetrics } from '@nursing/service-kit';

export type SocketKind = 'nurse' | 'coordinator' | 'security';

/** The instance's open sockets, counted by kind for /metrics (hn_ws_sockets_connected). */
export function createSocketRegistry(metrics: ServiceMetrics) {
  const open = new Set<WebSocket>();
  const gauge = metrics.gauge('socketsConnected');
  return {
    add(socket: WebSocket, kind: SocketKind): void {
      open.add(socket);
      gauge.inc({ kind });
      socket.once('close', () => {
        open.delete(socket);
        gauge.dec({ kind });
      });
    },
    [Symbol.iterator]: () => open[Symbol.iterator](),
    get size(): number {
      return open.size;
    },
  };
}

export type SocketRegistry = ReturnType<typeof createSocketRegistry>;
