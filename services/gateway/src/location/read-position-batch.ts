import { PositionBatch, compileSchema } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';

const batchValidator = compileSchema(PositionBatch);

/**
 * A position batch from another instance (a NATS message on a position subject), or
 * undefined for one that fails its schema: logged and dropped, so a broken publisher
 * costs its own batches, never a listener's state.
 */
export function readPositionBatch(raw: string | Uint8Array, subject: string, log: Logger): PositionBatch | undefined {
  try {
    return batchValidator.parseJson(raw, 'position batch');
  } catch (e) {
    log.warn({ subject, err: { message: (e as Error).message } }, 'ignored an invalid position batch');
    return undefined;
  }
}
