import type { Alarm } from '@nursing/contracts';

export interface AlarmFigures {
  total: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  acknowledged: number;
  meanTimeToAcknowledgeMs: number | null;
  escalated: number;
  drillsExcluded: number;
}

/** Counts and response time of real alarms; drills are only counted as excluded. */
export function computeAlarmStats(alarms: readonly Alarm[]): AlarmFigures {
  const figures: AlarmFigures = { total: 0, byKind: {}, byStatus: {}, acknowledged: 0, meanTimeToAcknowledgeMs: null, escalated: 0, drillsExcluded: 0 };
  let ackMsTotal = 0;
  for (const alarm of alarms) {
    if (alarm.drill) {
      figures.drillsExcluded++;
      continue;
    }
    figures.total++;
    figures.byKind[alarm.kind] = (figures.byKind[alarm.kind] ?? 0) + 1;
    figures.byStatus[alarm.status] = (figures.byStatus[alarm.status] ?? 0) + 1;
    if (alarm.escalationLevel > 0) figures.escalated++;
    if (alarm.acknowledgedAt) {
      figures.acknowledged++;
      ackMsTotal += Math.max(0, Date.parse(alarm.acknowledgedAt) - Date.parse(alarm.raisedAt));
    }
  }
  if (figures.acknowledged > 0) figures.meanTimeToAcknowledgeMs = ackMsTotal / figures.acknowledged;
  return figures;
}
