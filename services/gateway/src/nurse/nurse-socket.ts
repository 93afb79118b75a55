import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Subscription } from '@nats-io/transport-node';
import {
  AppError,
  NURSE_CLIENT_FRAMES,
  type DispatchReply,
  type LocationFrame,
  type NursePosition,
  type NurseClientFrame,
} from '@nursing/contracts';
import type { GatewayContext } from '../gateway-context.ts';
import { compileFrames, readFrames } from '../sockets/frame-reader.ts';
import { sendAck, sendError, sendFrame, sendRaw } from '../sockets/send-frame.ts';
import { socketClaims } from '../sockets/socket-auth.ts';
import { checkFix } from '../location/fix-checks.ts';
import { createNurseArrival, type NurseArrival } from '../location/nurse-arrival.ts';
import { nurseAlarmFrames } from '../alarms/nurse-alarm-frames.ts';

const frames = compileFrames(NURSE_CLIENT_FRAMES);
const decoder = new TextDecoder();

/**
 * `/ws/nurse`: the nurse app's one connection. Her id always comes from the token,
 * never from a frame. Dispatch's messages to her arrive on her NATS inbox and are
 * forwarded unchanged; her answers go to dispatch as NATS requests.
 */
export function nurseSocketHandler(ctx: GatewayContext) {
  const { nc, subjects, presence, batcher, dispatch, offline, heartbeat, log, now } = ctx;
  const alarms = nurseAlarmFrames(ctx);
  const positionsRejected = ctx.metrics.counter('positionsRejected');

  return (socket: WebSocket, request: FastifyRequest): void => {
    const claims = socketClaims(request);
    const nurseId = claims.sub;
    ctx.sockets.add(socket, 'nurse');
    heartbeat.track(socket);
    offline.connected(nurseId);
    let previous: NursePosition | undefined;

    let arrival: NurseArrival | undefined;

    const inbox: Subscription = nc.subscribe(subjects.nurseInbox(nurseId), {
      callback: (err, msg) => {
        if (err) return;
        const text = decoder.decode(msg.data);
        sendRaw(socket, text);
        if (changesActiveOrder(text)) arrival?.invalidate();
      },
    });

    // Her last fix may have come through another instance before a reconnect; read once, at her first fix.
    let previousLoaded = false;
    let previousLoad: Promise<void> | undefined;
    const loadPrevious = (): Promise<void> =>
      (previousLoad ??= presence.getPosition(nurseId).then(
        (stored) => {
          previous ??= stored;
          previousLoaded = true;
        },
        (err: unknown) => {
          previousLoad = undefined; // the next fix tries again
          throw err;
        },
      ));

    /** The hot path: synchronous unless her previous fix is still loading; no promise per fix. */
    function onLocation(frame: LocationFrame): Promise<void> | undefined {
      if (!previousLoaded) return loadPrevious().then(() => onLocation(frame));
      const fix = positionOf(nurseId, frame);
      try {
        checkFix(fix, previous, now());
      } catch (err) {
        positionsRejected.inc({ reason: 'implausible' });
        throw err;
      }
      if (!previous || fix.atMs >= previous.atMs) previous = fix;
      const id = frame.id;
      batcher.add(fix, (err) => {
        if (err !== undefined) return sendError(socket, id, err);
        sendAck(socket, 'location', id);
        (arrival ??= createNurseArrival(ctx, nurseId)).onFix(fix)?.catch((e: unknown) => log.warn({ err: e, nurseId }, 'arrival check failed'));
      });
      return undefined;
    }

    async function ask(frame: NurseClientFrame & { orderId: string }, subject: string, payload: object): Promise<void> {
      const reply: DispatchReply = await dispatch.request(subject, { nurseId, ...payload });
      if (reply.ok) sendAck(socket, frame.type, frame.id, reply.patient ? { order: reply.order, patient: reply.patient } : { order: reply.order });
      else sendError(socket, frame.id, reply.error);
    }

    readFrames<NurseClientFrame>({
      socket,
      frames,
      log,
      now,
      // Not async: a location fix, the bulk of the traffic, is handled without a promise.
      onFrame: (frame) => {
        switch (frame.type) {
          case 'location':
            return onLocation(frame);
          case 'status':
            return presence.setPresence(nurseId, frame.status, now()).then((stored) => sendAck(socket, 'status', frame.id, stored));
          case 'offer.accept':
            return ask(frame, subjects.dispatchAccept, { orderId: frame.orderId });
          case 'offer.decline':
            return ask(frame, subjects.dispatchDecline, { orderId: frame.orderId, reason: frame.reason });
          case 'grab':
            return ask(frame, subjects.dispatchGrab, { orderId: frame.orderId });
          case 'progress': {
            const { type: _type, id: _id, ...progress } = frame;
            return ask(frame, subjects.dispatchProgress, progress);
          }
          case 'alarm':
            return alarms.raise(socket, claims, frame);
          case 'checkin':
            return alarms.checkin(socket, nurseId, frame);
          case 'ping':
            return sendFrame(socket, frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
          default:
            throw new AppError('VALIDATION_FAILED', 'unsupported frame');
        }
      },
    });

    alarms.resumeFollow(socket, nurseId).catch((err: unknown) => log.warn({ err, nurseId }, 'open alarm lookup failed'));

    socket.on('close', () => {
      inbox.unsubscribe();
      offline.disconnected(nurseId);
    });
  };
}

/** The stored position: the frame's report with her id (from the token), without the frame's own fields. */
function positionOf(nurseId: string, frame: LocationFrame): NursePosition {
  const fix: NursePosition = { nurseId, lat: frame.lat, lng: frame.lng, atMs: frame.atMs };
  if (frame.accuracyM !== undefined) fix.accuracyM = frame.accuracyM;
  if (frame.headingDeg !== undefined) fix.headingDeg = frame.headingDeg;
  if (frame.speedMps !== undefined) fix.speedMps = frame.speedMps;
  return fix;
}

/** Inbox messages after which her active order (and its state) must be read again. */
function changesActiveOrder(text: string): boolean {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'assigned' || type === 'order.updated';
  } catch {
    return false;
  }
}
