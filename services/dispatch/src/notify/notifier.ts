import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSubjects, NurseInboxMessage, Order, OrderEvent } from '@nursing/contracts';

const encoder = new TextEncoder();

/** Core-NATS messages to nurses (through their gateway) and to coordinators' maps. */
export function createNotifier(deps: { nc: NatsConnection; subjects: NatsSubjects; now: () => number; observe?: (order: Order, event: string) => void }) {
  const { nc, subjects, now, observe } = deps;
  return {
    toNurse(nurseId: string, message: NurseInboxMessage): void {
      nc.publish(subjects.nurseInbox(nurseId), encoder.encode(JSON.stringify(message)));
    },
    /** The same message to many nurses (a grab's losers): encoded once, not once per nurse. */
    toNurses(nurseIds: readonly string[], message: NurseInboxMessage): void {
      const data = encoder.encode(JSON.stringify(message));
      for (const nurseId of nurseIds) nc.publish(subjects.nurseInbox(nurseId), data);
    },
    orderEvent(order: Order, event: string, nurseId?: string): void {
      const body: OrderEvent = { type: 'order.event', event, order, at: new Date(now()).toISOString(), ...(nurseId ? { nurseId } : {}) };
      nc.publish(subjects.orderEvent(order.institutionId, order.id), encoder.encode(JSON.stringify(body)));
      observe?.(order, event);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
