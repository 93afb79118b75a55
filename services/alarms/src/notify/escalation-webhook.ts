import type { Alarm } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';

/** What the webhook receives: who and how urgent, never the patient. */
export interface EscalationCall {
  alarmId: string;
  level: number;
  nurseId: string;
  institutionId: string;
  kind: string;
  drill: boolean;
  raisedAt: string;
  escalatedAt: string;
}

/**
 * Calls ALARM_WEBHOOK_URL on each escalation level (an SMS or phone gateway sits
 * behind it). A failure or timeout is logged and not retried: the next level calls
 * again, and every level also reaches desks and supervisors over NATS. The
 * `Idempotency-Key` lets the receiver drop the repeat of a level after a crash.
 */
export function createEscalationWebhook(deps: { url: string | undefined; timeoutMs: number; log: Logger }) {
  const { url, timeoutMs, log } = deps;
  return {
    async call(alarm: Alarm, level: number, escalatedAt: string): Promise<boolean> {
      if (!url) return false;
      const body: EscalationCall = {
        alarmId: alarm.alarmId,
        level,
        nurseId: alarm.nurseId,
        institutionId: alarm.institutionId,
        kind: alarm.kind,
        drill: alarm.drill,
        raisedAt: alarm.raisedAt,
        escalatedAt,
      };
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `${alarm.alarmId}:${level}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) {
          log.warn({ alarmId: alarm.alarmId, level, status: res.status }, 'escalation webhook refused the call; next level calls again');
          return false;
        }
        return true;
      } catch (err) {
        log.warn({ alarmId: alarm.alarmId, level, err: { message: (err as Error).message } }, 'escalation webhook failed; next level calls again');
        return false;
      }
    },
  };
}

export type EscalationWebhook = ReturnType<typeof createEscalationWebhook>;
