/*
 * The alarm's state machine, pure: open -> acknowledged -> resolved, with escalation
 * levels while open. Each change appends to `history`, whose length is the alarm's
 * version (contracts' alarmVersion): readers drop events that are not newer than what
 * they have, which is what makes a redelivered event harmless.
 */
import { ConflictError, type Alarm } from '@nursing/contracts';

/** Who acted: the token's role and subject. */
export interface AlarmActor {
  role: string;
  id: string;
}

export function acknowledged(alarm: Alarm, by: AlarmActor, at: string, notes: string | undefined): Alarm {
  if (alarm.status !== 'open') throw illegal(alarm, 'acknowledge');
  return {
    ...alarm,
    status: 'acknowledged',
    acknowledgedAt: at,
    acknowledgedBy: by.id,
    history: [...alarm.history, { to: 'acknowledged', at, by, ...(notes ? { notes } : {}) }],
  };
}

export function resolved(alarm: Alarm, by: AlarmActor, at: string, notes: string): Alarm {
  if (alarm.status !== 'acknowledged') throw illegal(alarm, 'resolve');
  return {
    ...alarm,
    status: 'resolved',
    resolvedAt: at,
    resolvedBy: by.id,
    resolutionNotes: notes,
    history: [...alarm.history, { to: 'resolved', at, by, notes }],
  };
}

/** The alarm at escalation `level`, or undefined when it is no longer open or already there. */
export function escalated(alarm: Alarm, level: number, at: string): Alarm | undefined {
  if (alarm.status !== 'open' || alarm.escalationLevel >= level) return undefined;
  return { ...alarm, escalationLevel: level, history: [...alarm.history, { to: 'escalated', at, level }] };
}

/** When the alarm reached `level` (its history entry), if it did. */
export function escalatedAt(alarm: Alarm, level: number): string | undefined {
  return alarm.history.find((h) => h.to === 'escalated' && h.level === level)?.at;
}

function illegal(alarm: Alarm, action: string): ConflictError {
  return new ConflictError('ILLEGAL_TRANSITION', `cannot ${action} alarm ${alarm.alarmId}: it is ${alarm.status}`, {
    details: { status: alarm.status },
  });
}
