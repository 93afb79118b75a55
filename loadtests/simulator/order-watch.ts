import { WebSocket } from 'ws';
import type { OrderEvent } from '@nursing/contracts';
import { CITY_CENTRE, offsetMetres } from './geo-offset.ts';
import type { SimStats } from './sim-stats.ts';

const ACCEPTED_EVENTS = new Set(['accepted', 'grabbed', 'assigned']);

/**
 * The coordinators' live map, as an admin sees it: one `/ws/coordinator` socket with a
 * viewport over the whole area. Counts order events (the server's view of what
 * happened to each order) and map positions received. Reconnects after a second.
 */
export function watchOrders(deps: { wsBase: string; token: string; spreadKm: number; stats: SimStats }) {
  const { stats } = deps;
  const half = (deps.spreadKm + 5) * 1000;
  const sw = offsetMetres(CITY_CENTRE, -half, -half);
  const ne = offsetMetres(CITY_CENTRE, half, half);
  let socket: WebSocket | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  function onEvent(e: OrderEvent): void {
    if (e.event === 'offered' || e.event === 'broadcast') stats.orders.offered.add(e.order.id);
    else if (ACCEPTED_EVENTS.has(e.event)) stats.orders.accepted.add(e.order.id);
    else if (e.event === 'completed') stats.orders.completed.add(e.order.id);
    else if (e.event === 'unassigned') stats.orders.unassigned.add(e.order.id);
  }

  function connect(): void {
    const ws = new WebSocket(`${deps.wsBase}/ws/coordinator`, { headers: { authorization: `Bearer ${deps.token}` } });
    socket = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'viewport', id: 'v', west: sw.lng, south: sw.lat, east: ne.lng, north: ne.lat })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; nurses?: unknown[] };
      if (frame.type === 'order.event') onEvent(frame as unknown as OrderEvent);
      else if (frame.type === 'positions' || frame.type === 'snapshot') stats.counters.mapPositionsReceived += frame.nurses?.length ?? 0;
      else if (frame.type === 'error') stats.error(`map socket: ${String((frame as { code?: unknown }).code)}`);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (!stopped) retry = setTimeout(connect, 1_000);
    });
  }
  connect();

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(retry);
      if (!socket || socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((r) => socket?.once('close', r));
      socket.close(1000, 'simulation over');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    },
  };
}
