import { AlarmEvent, compileSchema, type Alarm, type AlarmEventName } from '@nursing/contracts';

const validator = compileSchema(AlarmEvent);
const decoder = new TextDecoder();

/** The AlarmEvent in a NATS message, or undefined when it is something else. */
export function parseAlarmEvent(data: Uint8Array): { text: string; event: AlarmEvent | undefined } {
  const text = decoder.decode(data);
  try {
    const value: unknown = JSON.parse(text);
    return { text, event: validator.check(value) ? value : undefined };
  } catch {
    return { text, event: undefined };
  }
}

/** The event a stored alarm's latest change corresponds to (for changes found by reading Redis). */
export function eventOfLatestChange(alarm: Alarm): AlarmEventName {
  const last = alarm.history[alarm.history.length - 1]?.to;
  return last === 'open' || last === undefined ? 'raised' : last;
}
