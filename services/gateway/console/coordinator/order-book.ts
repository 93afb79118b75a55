import type { Order, OrderEvent } from '@nursing/contracts';

/** How the map and lists group order states: what a coordinator has to act on first. */
export type OrderGroup = 'waiting' | 'broadcast' | 'unassigned' | 'assigned' | 'done' | 'cancelled';

export function groupOf(state: Order['state']): OrderGroup {
  switch (state) {
    case 'created':
    case 'dispatching':
    case 'offered':
      return 'waiting';
    case 'broadcast':
      return 'broadcast';
    case 'unassigned':
      return 'unassigned';
    case 'accepted':
    case 'en_route':
    case 'arrived':
    case 'in_service':
      return 'assigned';
    case 'completed':
    case 'rated':
      return 'done';
    case 'cancelled':
      return 'cancelled';
  }
}

/** Lists put what needs a decision first. */
const GROUP_RANK: Record<OrderGroup, number> = { unassigned: 0, broadcast: 1, waiting: 2, assigned: 3, done: 4, cancelled: 5 };

/** States in which the assigned nurse is on this visit. */
export const ON_VISIT_STATES: readonly Order['state'][] = ['accepted', 'en_route', 'arrived', 'in_service'];

/**
 * The orders the console knows: loaded once from GET /v1/orders, then kept current by
 * the socket's order events. An event carries the whole order, so applying it is a
 * replace; an older event (by updatedAt) never overwrites a newer state.
 */
export class OrderBook {
  readonly orders = new Map<string, Order>();
  version = 0;
  private readonly listeners = new Set<(order: Order, event?: OrderEvent) => void>();

  onChange(listener: (order: Order, event?: OrderEvent) => void): void {
    this.listeners.add(listener);
  }

  put(order: Order, event?: OrderEvent): void {
    const known = this.orders.get(order.id);
    if (known && Date.parse(known.updatedAt) > Date.parse(order.updatedAt)) return;
    this.orders.set(order.id, order);
    this.version++;
    for (const l of this.listeners) l(order, event);
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** Sorted for the side list: needs-action first, then newest. */
  sorted(): Order[] {
    return [...this.orders.values()].sort(
      (a, b) => GROUP_RANK[groupOf(a.state)] - GROUP_RANK[groupOf(b.state)] || Date.parse(b.createdAt) - Date.parse(a.createdAt),
    );
  }

  /** The order a nurse is on now, if any. */
  currentOf(nurseId: string): Order | undefined {
    for (const o of this.orders.values()) if (o.assignedNurseId === nurseId && ON_VISIT_STATES.includes(o.state)) return o;
    return undefined;
  }
}
