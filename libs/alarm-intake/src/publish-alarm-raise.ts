import type { JetStreamClient } from '@nats-io/jetstream';
import { AlarmRaisedMessage, UnavailableError, compileSchema, type AlarmRaiseAccepted, type NatsSubjects } from '@nursing/contracts';

const validator = compileSchema(AlarmRaisedMessage);

/** How long to wait for JetStream to confirm a raise before telling the app to retry. */
export const ALARM_PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Stores a raise on the ALARMS stream and resolves once JetStream has it (the PubAck):
 * only then may the app be told its alarm is safe. The message id is the alarm id, so
 * a retried raise inside the duplicate window is dropped by JetStream and answered
 * `duplicate: true`. Any failure is UNAVAILABLE: the app keeps retrying with the same id.
 */
export async function publishAlarmRaise(
  js: JetStreamClient,
  subjects: Pick<NatsSubjects, 'alarmRaise'>,
  message: AlarmRaisedMessage,
  timeoutMs = ALARM_PUBLISH_TIMEOUT_MS,
): Promise<AlarmRaiseAccepted> {
  validator.parse(message, 'alarm raise');
  try {
    const ack = await js.publish(subjects.alarmRaise(message.alarmId), JSON.stringify(message), { msgID: message.alarmId, timeout: timeoutMs });
    return { alarmId: message.alarmId, duplicate: ack.duplicate };
  } catch (err) {
    throw new UnavailableError('the alarm could not be stored yet, send it again with the same alarmId', { cause: err });
  }
}
