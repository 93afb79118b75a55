import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { PositionBatch, compileSchema, type NatsSubjects, type NursePosition } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';

const batchValidator = compileSchema(PositionBatch);
const decoder = new TextDecoder();

/**
 * Every position of a few followed nurses (those with an open alarm), wherever they
 * are: one subscription to all position batches while anyone is followed. A batch is
 * parsed only when its text contains a followed nurse's id, so following costs a
 * substring search per batch, not a parse of the whole location stream.
 */
export function createFollowedPositions(deps: { nc: NatsConnection; subjects: NatsSubjects; log: Logger; onPosition: (p: NursePosition) => void }) {
  /** nurseId -> how JSON.stringify writes it in a batch. */
  const needles = new Map<string, string>();
  let sub: Subscription | undefined;

  function onBatch(data: Uint8Array, subject: string): void {
    const text = decoder.decode(data);
    let hit = false;
    for (const needle of needles.values()) {
      if (text.includes(needle)) {
        hit = true;
        break;
      }
    }
    if (!hit) return;
    let batch: PositionBatch;
    try {
      batch = batchValidator.parseJson(text, 'position batch');
    } catch (e) {
      deps.log.warn({ subject, err: { message: (e as Error).message } }, 'ignored an invalid position batch');
      return;
    }
    for (const p of batch) if (needles.has(p.nurseId)) deps.onPosition(p);
  }

  return {
    follow(nurseId: string): void {
      needles.set(nurseId, `"nurseId":${JSON.stringify(nurseId)}`);
      sub ??= deps.nc.subscribe(deps.subjects.allLocations, {
        callback: (err, msg) => {
          if (!err) onBatch(msg.data, msg.subject);
        },
      });
    },
    unfollow(nurseId: string): void {
      needles.delete(nurseId);
      if (needles.size > 0) return;
      sub?.unsubscribe();
      sub = undefined;
    },
    isFollowed: (nurseId: string): boolean => needles.has(nurseId),
    stop(): void {
      needles.clear();
      sub?.unsubscribe();
      sub = undefined;
    },
  };
}
