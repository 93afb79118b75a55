import type { Alarm } from '@nursing/contracts';

/**
 * Most urgent first: unacknowledged before acknowledged, real before drills, higher
 * escalation level first, then the oldest (who has waited longest).
 */
export function byUrgency(a: Alarm, b: Alarm): number {
  const status = (x: Alarm) => (x.status === 'open' ? 0 : x.status === 'acknowledged' ? 1 : 2);
  return (
    status(a) - status(b) ||
    Number(a.drill) - Number(b.drill) ||
    b.escalationLevel - a.escalationLevel ||
    Date.parse(a.raisedAt) - Date.parse(b.raisedAt)
  );
}

export function kindLabel(alarm: Alarm): string {
  return alarm.kind === 'panic' ? 'Panic button' : 'Overdue visit (no check-in)';
}
