import type { WebSocket } from 'ws';
import {
  UnavailableError,
  WelfareCheckinReply,
  compileSchema,
  type AlarmFrame,
  type TokenClaims,
  type WelfareCheckinRequest,
} from '@nursing/contracts';
import { raisedMessageOf } from '@nursing/alarm-intake';
import type { GatewayContext } from '../gateway-context.ts';
import { sendAck, sendError, sendFrame, type FrameIdValue } from '../sockets/send-frame.ts';
import { createAlarmIntake } from './alarm-intake.ts';
import { openAlarmsOf } from './open-alarms.ts';

const checkinReply = compileSchema(WelfareCheckinReply);
const encoder = new TextEncoder();
export const CHECKIN_TIMEOUT_MS = 5_000;
/** What the alarms service asks of an alarming nurse's app; repeated here when she reconnects. */
const FOLLOW_INTERVAL_MS = 1_000;

/**
 * The nurse socket's safety frames. `alarm` is acknowledged only once JetStream has
 * stored the raise (the ack's result says whether it was a retry); otherwise the app
 * gets an UNAVAILABLE error and sends it again with the same alarmId. `checkin` goes to
 * the alarms service as a NATS request.
 */
export function nurseAlarmFrames(ctx: GatewayContext) {
  const { nc, subjects, config, now, redis, keys, log } = ctx;
  const intake = createAlarmIntake({ nc, subjects, namespace: config.NAMESPACE, replicas: config.NATS_STREAM_REPLICAS });

  return {
    async raise(socket: WebSocket, claims: TokenClaims, frame: AlarmFrame): Promise<void> {
      const { type: _type, id, ...raise } = frame;
      const result = await intake.raise(raisedMessageOf(raise, claims, 'socket', now()));
      log.info({ alarmId: result.alarmId, nurseId: claims.sub, duplicate: result.duplicate }, 'alarm stored');
      sendAck(socket, 'alarm', id, result);
    },

    async checkin(socket: WebSocket, nurseId: string, frame: { id?: FrameIdValue; orderId: string }): Promise<void> {
      const request: WelfareCheckinRequest = { nurseId, orderId: frame.orderId };
      let data: Uint8Array;
      try {
        data = (await nc.request(subjects.welfareCheckin, encoder.encode(JSON.stringify(request)), { timeout: CHECKIN_TIMEOUT_MS })).data;
      } catch (err) {
        throw new UnavailableError('the alarms service did not answer, try again', { cause: err });
      }
      const reply = checkinReply.parseJson(data, 'check-in reply');
      if (reply.ok) sendAck(socket, 'checkin', frame.id, { orderId: reply.orderId, deadlineAt: reply.deadlineAt });
      else sendError(socket, frame.id, reply.error);
    },

    /**
     * A nurse who reconnects while her alarm is open is told again to report every
     * second: the alarms service's `follow` message may have reached her old socket only.
     */
    async resumeFollow(socket: WebSocket, nurseId: string): Promise<void> {
      for (const alarm of await openAlarmsOf(redis, keys, (a) => a.nurseId === nurseId)) {
        sendFrame(socket, { type: 'follow', alarmId: alarm.alarmId, intervalMs: FOLLOW_INTERVAL_MS });
      }
    },
  };
}

export type NurseAlarmFrames = ReturnType<typeof nurseAlarmFrames>;
