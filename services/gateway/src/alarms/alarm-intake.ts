import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { UnavailableError, streamNames, type AlarmRaiseAccepted, type AlarmRaisedMessage, type NatsSubjects } from '@nursing/contracts';
import { ensureAlarmsStream, publishAlarmRaise } from '@nursing/alarm-intake';

/**
 * The gateway's way of storing a raise: straight into JetStream, so a panic alarm is
 * safe (and the app acknowledged) even while the alarms service is down. The stream is
 * made sure of on first use and again after any failure (a nats-server that lost it).
 */
export function createAlarmIntake(deps: { nc: NatsConnection; subjects: NatsSubjects; namespace: string; replicas?: number }) {
  const { nc, subjects } = deps;
  const js = jetstream(nc);
  const names = { streamName: streamNames(deps.namespace).alarms, subjects, replicas: deps.replicas ?? 1 };
  let ready: Promise<void> | undefined;

  const ensure = (): Promise<void> =>
    (ready ??= (async () => ensureAlarmsStream(await jetstreamManager(nc), names))().catch((err: unknown) => {
      ready = undefined;
      throw new UnavailableError('alarms cannot be stored right now, send it again with the same alarmId', { cause: err });
    }));

  return {
    async raise(message: AlarmRaisedMessage): Promise<AlarmRaiseAccepted> {
      await ensure();
      try {
        return await publishAlarmRaise(js, subjects, message);
      } catch (err) {
        ready = undefined;
        throw err;
      }
    },
  };
}

export type AlarmIntake = ReturnType<typeof createAlarmIntake>;
