import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Static } from 'typebox';
import { SECURITY_CLIENT_FRAMES } from '@nursing/contracts';
import type { GatewayContext } from '../gateway-context.ts';
import { compileFrames, readFrames } from '../sockets/frame-reader.ts';
import { sendFrame, sendRaw } from '../sockets/send-frame.ts';

const frames = compileFrames(SECURITY_CLIENT_FRAMES);
const decoder = new TextDecoder();

/**
 * `/ws/security`: the security desk's feed of alarm events from every institution,
 * forwarded as the alarms service publishes them. Acknowledging alarms comes with
 * the alarms service.
 */
export function securitySocketHandler(ctx: GatewayContext) {
  const { nc, subjects, heartbeat, log, now } = ctx;
  return (socket: WebSocket, _request: FastifyRequest): void => {
    ctx.sockets.add(socket);
    heartbeat.track(socket);
    const alarms = nc.subscribe(subjects.allAlarmEvents, {
      callback: (err, msg) => {
        if (!err) sendRaw(socket, decoder.decode(msg.data));
      },
    });
    readFrames<Static<(typeof SECURITY_CLIENT_FRAMES)['ping']>>({
      socket,
      frames,
      log,
      now,
      onFrame: (frame) => sendFrame(socket, frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id }),
    });
    socket.on('close', () => {
      alarms.unsubscribe();
      ctx.sockets.delete(socket);
    });
  };
}
