import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Static } from 'typebox';
import { SECURITY_CLIENT_FRAMES, type AlarmEvent, type AlarmPositionFrame } from '@nursing/contracts';
import type { GatewayContext } from '../gateway-context.ts';
import { compileFrames, readFrames } from '../sockets/frame-reader.ts';
import { sendFrame, sendRaw } from '../sockets/send-frame.ts';
import { createSecurityFeed, type DeskListener } from '../alarms/security-feed.ts';
import { readDeskSnapshot } from '../alarms/desk-snapshot.ts';
import { createVersionFilter } from '../alarms/version-filter.ts';

const frames = compileFrames(SECURITY_CLIENT_FRAMES);

/** Close code when the first snapshot cannot be read: the desk reconnects and tries again. */
const SNAPSHOT_FAILED = 1011;

/**
 * `/ws/security`: the security desk. The first frame is a snapshot of every unresolved
 * alarm with each nurse's trail since it was raised; then alarm events of every
 * institution and, for nurses with an open alarm, their positions at full rate. Each
 * alarm change reaches the desk once: events that arrive while the snapshot is read are
 * held back and, like every later event, dropped when not newer than what the desk has.
 * Acknowledging and resolving are HTTP calls to the alarms service.
 */
export function securitySocketHandler(ctx: GatewayContext) {
  const { nc, redis, keys, subjects, presence, heartbeat, log, now } = ctx;
  const deliveryLatency = ctx.metrics.histogram('alarmDeliveryLatency');
  const feed = createSecurityFeed({ nc, redis, keys, subjects, log, locate: (nurseId) => presence.getPosition(nurseId) });

  return (socket: WebSocket, _request: FastifyRequest): void => {
    ctx.sockets.add(socket, 'security');
    heartbeat.track(socket);
    const versions = createVersionFilter();
    let held: (() => void)[] | undefined = [];
    let detach: (() => void) | undefined;
    let closed = false;
    const whenLive = (send: () => void): void => {
      if (held) held.push(send);
      else send();
    };

    const desk: DeskListener = {
      onEvent: (text: string, event: AlarmEvent | undefined) =>
        whenLive(() => {
          if (!event || versions.accept(event.alarm)) {
            sendRaw(socket, text);
            // From the moment the alarm was stored (its first history entry) to this desk.
            const storedAt = event?.event === 'raised' ? Date.parse(event.alarm.history[0]?.at ?? event.alarm.raisedAt) : NaN;
            if (Number.isFinite(storedAt)) deliveryLatency.observe(Math.max(0, now() - storedAt) / 1000);
          }
        }),
      onPosition: (frame: AlarmPositionFrame) => whenLive(() => sendFrame(socket, frame)),
    };

    (async () => {
      const leave = await feed.attach(desk);
      if (closed) return leave();
      detach = leave;
      const snapshot = await readDeskSnapshot({ redis, keys, presence });
      for (const alarm of snapshot.alarms) versions.accept(alarm);
      sendFrame(socket, snapshot);
      const pending = held ?? [];
      held = undefined;
      for (const send of pending) send();
    })().catch((err: unknown) => {
      log.warn({ err }, 'security desk snapshot failed');
      socket.close(SNAPSHOT_FAILED, 'snapshot failed, reconnect');
    });

    readFrames<Static<(typeof SECURITY_CLIENT_FRAMES)['ping']>>({
      socket,
      frames,
      log,
      now,
      onFrame: (frame) => sendFrame(socket, frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id }),
    });
    socket.on('close', () => {
      closed = true;
      detach?.();
    });
  };
}
