import type { TimerQueue } from '@nursing/timer-queue';
import type { Logger } from '@nursing/logging';
import type { AlarmStore } from '../store/alarm-store.ts';
import type { AlarmNotifier } from '../notify/alarm-notifier.ts';
import type { EscalationWebhook } from '../notify/escalation-webhook.ts';
import type { AlarmAudit } from '../audit/alarm-audit.ts';
import { alarmAuditKey } from '../audit/alarm-audit.ts';
import { escalated, escalatedAt } from '../store/alarm-transitions.ts';
import { updateAlarm } from '../store/update-alarm.ts';
import { escalationTimer } from '../timers/alarm-timers.ts';

export interface EscalationDeps {
  store: AlarmStore;
  timers: TimerQueue;
  notifier: AlarmNotifier;
  webhook: EscalationWebhook;
  audit: AlarmAudit;
  escalateAfterMs: number;
  now: () => number;
  log: Logger;
}

/**
 * Fires escalation `level` of an alarm still open: desks are notified again, the
 * institution's coordinators (same event subject) and supervisor channel hear of it,
 * the webhook is called, and the next level is scheduled one period later. Once the
 * alarm is acknowledged nothing happens. A repeat of the same level (the timer's lease
 * ran out, or the instance died halfway) finds the level already reached and only
 * redoes the notifications, which desks drop as repeats and the webhook receiver can
 * recognise by its idempotency key.
 */
export function createEscalation(deps: EscalationDeps) {
  const { store, timers, notifier, webhook, audit, escalateAfterMs, now, log } = deps;

  return async function escalate(alarmId: string, level: number): Promise<void> {
    const at = new Date(now()).toISOString();
    let result;
    try {
      result = await updateAlarm(store, alarmId, (alarm) => escalated(alarm, level, at));
    } catch (err) {
      if ((err as { code?: string }).code === 'NOT_FOUND') return;
      throw err;
    }
    const { alarm } = result;
    if (alarm.status !== 'open' || alarm.escalationLevel !== level) return;
    const reachedAt = escalatedAt(alarm, level) ?? at;
    await timers.scheduleIfAbsent(escalationTimer(alarmId, level + 1), Date.parse(reachedAt) + escalateAfterMs);
    notifier.event('escalated', alarm);
    notifier.supervisor(alarm);
    await notifier.flush();
    log.warn({ alarmId, level, institutionId: alarm.institutionId, drill: alarm.drill }, 'alarm escalated: not acknowledged in time');
    const webhookDelivered = await webhook.call(alarm, level, reachedAt);
    const key = alarmAuditKey(alarmId);
    await audit.append(
      {
        orderId: key,
        at: reachedAt,
        actor: { role: 'system', id: 'escalation' },
        action: 'alarm.escalated',
        from: level === 1 ? 'open' : `escalated:${level - 1}`,
        to: `escalated:${level}`,
        details: { alarmId, level, webhookDelivered },
      },
      `${key}-escalated-${level}`,
    );
  };
}
