import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { OrderEvent, WelfareCheckinRequest, compileSchema, toAppError, type NatsSubjects, type WelfareCheckinReply } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import type { WelfareTimer } from './welfare-timer.ts';

const orderEventValidator = compileSchema(OrderEvent);
const checkinValidator = compileSchema(WelfareCheckinRequest);
const encoder = new TextEncoder();

/**
 * The welfare timer's NATS side: dispatch's order events (arrival starts a timer,
 * completion ends it) and check-in requests relayed by gateways. Both are queue
 * subscriptions, so one alarms instance handles each message.
 */
export function welfareListeners(deps: { nc: NatsConnection; subjects: NatsSubjects; welfare: WelfareTimer; log: Logger }) {
  const { nc, subjects, welfare, log } = deps;
  const subs: Subscription[] = [];

  return {
    start(): void {
      subs.push(
        nc.subscribe(subjects.allOrderEvents, {
          queue: subjects.alarmsQueue,
          callback: (err, msg) => {
            if (err) return;
            let event: OrderEvent;
            try {
              event = orderEventValidator.parseJson(msg.data, 'order event');
            } catch (e) {
              log.warn({ err: e, subject: msg.subject }, 'malformed order event ignored');
              return;
            }
            welfare.onOrderEvent(event).catch((e: unknown) => log.error({ err: e, orderId: event.order.id }, 'welfare timer update failed'));
          },
        }),
        nc.subscribe(subjects.welfareCheckin, {
          queue: subjects.alarmsQueue,
          callback: (err, msg) => {
            if (err) return;
            const answer = (reply: WelfareCheckinReply): void => {
              msg.respond(encoder.encode(JSON.stringify(reply)));
            };
            Promise.resolve()
              .then(() => checkinValidator.parseJson(msg.data, 'check-in'))
              .then((req) => welfare.checkin(req.nurseId, req.orderId))
              .then((result) => answer({ ok: true, ...result }))
              .catch((e: unknown) => {
                const error = toAppError(e);
                if (error.status >= 500) log.error({ err: e }, 'check-in failed');
                answer({ ok: false, error: { code: error.code, message: error.message } });
              });
          },
        }),
      );
    },
    async stop(): Promise<void> {
      await Promise.all(subs.splice(0).map((s) => s.drain().catch(() => undefined)));
    },
  };
}
