import type { Subscription } from '@nats-io/transport-node';
import type { WebSocket } from 'ws';
import { withoutPatientAddress, type AlarmEvent } from '@nursing/contracts';
import type { GatewayContext } from '../gateway-context.ts';
import { sendFrame } from '../sockets/send-frame.ts';
import { parseAlarmEvent } from './alarm-event-of.ts';
import { createVersionFilter } from './version-filter.ts';

/**
 * Alarm events for a coordinator's map: those of her institution (every institution
 * for an admin), without the patient's address, each change once.
 */
export function forwardAlarmsToCoordinator(ctx: GatewayContext, socket: WebSocket, institutionId: string | null): Subscription {
  const { nc, subjects } = ctx;
  const versions = createVersionFilter();
  return nc.subscribe(institutionId === null ? subjects.allAlarmEvents : subjects.institutionAlarmEvents(institutionId), {
    callback: (err, msg) => {
      if (err) return;
      const { event } = parseAlarmEvent(msg.data);
      if (!event || !versions.accept(event.alarm)) return;
      const frame: AlarmEvent = { ...event, alarm: withoutPatientAddress(event.alarm) };
      sendFrame(socket, frame);
    },
  });
}
