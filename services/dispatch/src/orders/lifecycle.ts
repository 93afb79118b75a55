import type { OrderState } from '@nursing/contracts';

/**
 * Which state may follow which. Anything else is an illegal transition (409).
 * created -> dispatching happens at once; offered/broadcast go back to dispatching when
 * an offer is declined or expires, or a grab window closes and falls back to push.
 */
export const NEXT_STATES: Record<OrderState, readonly OrderState[]> = {
  created: ['dispatching', 'cancelled'],
  dispatching: ['offered', 'broadcast', 'accepted', 'unassigned', 'cancelled'],
  offered: ['accepted', 'dispatching', 'cancelled'],
  broadcast: ['accepted', 'dispatching', 'unassigned', 'cancelled'],
  unassigned: ['dispatching', 'accepted', 'cancelled'],
  accepted: ['en_route', 'arrived', 'cancelled'],
  en_route: ['arrived', 'cancelled'],
  arrived: ['in_service', 'cancelled'],
  in_service: ['completed'],
  completed: ['rated'],
  rated: [],
  cancelled: [],
};

/** The states from which `to` may be reached. */
export function statesLeadingTo(to: OrderState): OrderState[] {
  return (Object.keys(NEXT_STATES) as OrderState[]).filter((from) => NEXT_STATES[from].includes(to));
}

/** States in which the order still waits for a nurse. */
export const OPEN_STATES: readonly OrderState[] = ['created', 'dispatching', 'offered', 'broadcast', 'unassigned'];
