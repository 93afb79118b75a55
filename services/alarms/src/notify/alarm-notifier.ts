import type { NatsConnection } from '@nats-io/transport-node';
import { withoutPatientAddress, type Alarm, type AlarmEvent, type AlarmEventName, type NatsSubjects } from '@nursing/contracts';

const encoder = new TextEncoder();

/**
 * Core-NATS messages about alarms. Events go on `alarm.event.<institution>.<alarmId>`:
 * every gateway forwards them to its security desks, and to the institution's
 * coordinators without the patient's address. Escalations also go to the
 * institution's supervisor channel; follow requests go to the nurse's inbox.
 */
export function createAlarmNotifier(deps: { nc: NatsConnection; subjects: NatsSubjects }) {
  const { nc, subjects } = deps;
  const publish = (subject: string, body: object): void => nc.publish(subject, encoder.encode(JSON.stringify(body)));

  return {
    event(event: AlarmEventName, alarm: Alarm): void {
      const body: AlarmEvent = { type: 'alarm', event, alarm };
      publish(subjects.alarmEvent(alarm.institutionId, alarm.alarmId), body);
    },

    supervisor(alarm: Alarm): void {
      const body: AlarmEvent = { type: 'alarm', event: 'escalated', alarm: withoutPatientAddress(alarm) };
      publish(subjects.alarmSupervisor(alarm.institutionId), body);
    },

    /** Tells the nurse's app to report every `intervalMs` (0: back to normal). */
    follow(alarm: Alarm, intervalMs: number): void {
      publish(subjects.nurseInbox(alarm.nurseId), { type: 'follow', alarmId: alarm.alarmId, intervalMs });
    },

    /** Resolves once the server has everything published so far (before a raise is marked announced). */
    flush(): Promise<void> {
      return nc.flush();
    },
  };
}

export type AlarmNotifier = ReturnType<typeof createAlarmNotifier>;
