import type { NatsConnection } from '@nats-io/transport-node';
import { DispatchReply, UnavailableError, compileSchema } from '@nursing/contracts';

const replyValidator = compileSchema(DispatchReply);
const encoder = new TextEncoder();

export const DISPATCH_TIMEOUT_MS = 5_000;

/**
 * Asks any dispatch instance (a queue group on the subject) and returns its
 * DispatchReply. No responder or no answer in time is UNAVAILABLE: the nurse's app
 * may retry, dispatch's transitions are idempotent per nurse and order.
 */
export function createDispatchClient(deps: { nc: NatsConnection; timeoutMs?: number }) {
  const timeout = deps.timeoutMs ?? DISPATCH_TIMEOUT_MS;
  return {
    async request(subject: string, payload: object): Promise<DispatchReply> {
      let data: Uint8Array;
      try {
        const msg = await deps.nc.request(subject, encoder.encode(JSON.stringify(payload)), { timeout });
        data = msg.data;
      } catch (err) {
        throw new UnavailableError('dispatch did not answer, try again', { cause: err });
      }
      return replyValidator.parseJson(data, 'dispatch reply');
    },
  };
}

export type DispatchClient = ReturnType<typeof createDispatchClient>;
