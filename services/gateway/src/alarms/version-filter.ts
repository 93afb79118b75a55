import { alarmVersion, type Alarm } from '@nursing/contracts';

/**
 * Per receiver: passes an alarm change only if it is newer than the last one passed
 * for that alarm. The alarms service may publish a change twice (a raise redelivered
 * after a crash) and a change may arrive both in a snapshot and as an event; with this
 * filter the receiver sees each change once.
 */
export function createVersionFilter() {
  const seen = new Map<string, number>();
  return {
    accept(alarm: Pick<Alarm, 'alarmId' | 'history'>): boolean {
      const version = alarmVersion(alarm);
      if (version <= (seen.get(alarm.alarmId) ?? 0)) return false;
      seen.set(alarm.alarmId, version);
      return true;
    },
  };
}
