/**
 * Timer members of the alarms timer set. One member per escalation level, so the timer
 * queue's removal of a fired member never removes the next level's deadline.
 */
export function escalationTimer(alarmId: string, level: number): string {
  return `esc:${alarmId}:${level}`;
}

/**
 * One member per welfare deadline: a check-in adds the new deadline's member and
 * removes the old, so the old one firing meanwhile is recognised as stale.
 */
export function welfareTimer(orderId: string, deadlineMs: number): string {
  return `welfare:${orderId}:${deadlineMs}`;
}

export type AlarmTimer = { kind: 'escalation'; alarmId: string; level: number } | { kind: 'welfare'; orderId: string; deadlineMs: number };

export function parseAlarmTimer(member: string): AlarmTimer | undefined {
  const esc = /^esc:([A-Za-z0-9_-]+):(\d+)$/.exec(member);
  if (esc) return { kind: 'escalation', alarmId: esc[1] as string, level: Number(esc[2]) };
  const welfare = /^welfare:([A-Za-z0-9_-]+):(\d+)$/.exec(member);
  if (welfare) return { kind: 'welfare', orderId: welfare[1] as string, deadlineMs: Number(welfare[2]) };
  return undefined;
}
