import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  AcceptRequest,
  DeclineRequest,
  GrabRequest,
  ProgressRequest,
  compileSchema,
  toAppError,
  type AppError,
  type DispatchReply,
  type NatsSubjects,
} from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import type { OrderService } from './order-service.ts';

const accept = compileSchema(AcceptRequest);
const decline = compileSchema(DeclineRequest);
const grab = compileSchema(GrabRequest);
const progress = compileSchema(ProgressRequest);
const encoder = new TextEncoder();

/**
 * Answers nurses' accept, decline, grab and progress requests arriving over NATS (from
 * the gateway). A queue group: each request is handled by exactly one dispatch
 * instance, whichever is free. Replies are `DispatchReply`; errors keep their codes.
 */
export function serveNurseRequests(deps: { nc: NatsConnection; subjects: NatsSubjects; service: OrderService; log: Logger }) {
  const { nc, subjects, service, log } = deps;
  const subs: Subscription[] = [];
  const inFlight = new Set<Promise<void>>();

  // A refusal thrown to many requests at once (a grab storm's ORDER_TAKEN) is encoded once.
  const encodedRefusals = new WeakMap<AppError, Uint8Array>();

  function refusalReply(subject: string, e: unknown): Uint8Array {
    const appError = toAppError(e);
    if (appError.status >= 500) log.error({ err: e, subject }, 'nurse request failed');
    let data = encodedRefusals.get(appError);
    if (!data) {
      const reply: DispatchReply = { ok: false, error: { code: appError.code, message: appError.message } };
      data = encoder.encode(JSON.stringify(reply));
      encodedRefusals.set(appError, data);
    }
    return data;
  }

  /** One async step per request (not a chain of then/catch): a storm creates a thousand of them at once. */
  async function answer(subject: string, msg: Msg, work: (data: Uint8Array) => Promise<DispatchReply>): Promise<void> {
    let data: Uint8Array;
    try {
      data = encoder.encode(JSON.stringify(await work(msg.data)));
    } catch (e) {
      data = refusalReply(subject, e);
    }
    if (msg.reply) msg.respond(data);
  }

  function handle(subject: string, work: (data: Uint8Array) => Promise<DispatchReply>) {
    subs.push(
      nc.subscribe(subject, {
        queue: subjects.dispatchQueue,
        callback: (err, msg: Msg) => {
          if (err) return;
          const p = answer(subject, msg, work).finally(() => inFlight.delete(p));
          inFlight.add(p);
        },
      }),
    );
  }

  return {
    start(): void {
      handle(subjects.dispatchAccept, async (data) => {
        const r = accept.parseJson(data, 'accept request');
        return { ok: true, ...(await service.accept(r.nurseId, r.orderId)) };
      });
      handle(subjects.dispatchDecline, async (data) => {
        const r = decline.parseJson(data, 'decline request');
        return { ok: true, order: await service.decline(r.nurseId, r.orderId, r.reason) };
      });
      handle(subjects.dispatchGrab, async (data) => {
        const r = grab.parseJson(data, 'grab request');
        return { ok: true, ...(await service.grab(r.nurseId, r.orderId)) };
      });
      handle(subjects.dispatchProgress, async (data) => {
        const r = progress.parseJson(data, 'progress request');
        return { ok: true, order: await service.progress(r.nurseId, r.orderId, r.step, { identityConfirmed: r.identityConfirmed, completion: r.completion, position: r.position }) };
      });
    },
    /** Stops taking requests, then lets the ones in hand finish. */
    async stop(): Promise<void> {
      for (const s of subs) s.unsubscribe();
      subs.length = 0;
      await Promise.allSettled([...inFlight]);
    },
  };
}
