import type { Alarm, AlarmRaisedMessage } from '@nursing/contracts';
import type { TimerQueue } from '@nursing/timer-queue';
import type { AlarmStore } from '../store/alarm-store.ts';
import type { AlarmNotifier } from '../notify/alarm-notifier.ts';
import type { AlarmAudit } from '../audit/alarm-audit.ts';
import { alarmAuditKey } from '../audit/alarm-audit.ts';
import { escalationTimer } from '../timers/alarm-timers.ts';
import { FOLLOW_INTERVAL_MS } from '../notify/follow.ts';

/**
 * Points where a test process kills itself (kill -9 from the inside) to prove that
 * every crash window of a raise ends with the desk seeing the alarm exactly once.
 */
export interface RaiseCrashHooks {
  /** The alarm is in Redis; nothing announced yet. */
  afterStore?: () => void;
  /** The `raised` event went out; not yet marked announced, the JetStream message not yet acked. */
  afterAnnounce?: () => void;
}

export interface RaiseHandlerDeps {
  store: AlarmStore;
  notifier: AlarmNotifier;
  audit: AlarmAudit;
  timers: TimerQueue;
  enrich: (message: AlarmRaisedMessage) => Promise<Alarm>;
  escalateAfterMs: number;
  now: () => number;
  hooks?: RaiseCrashHooks;
}

/**
 * Handles one stored raise; runs again, whole, for every redelivery. The alarm is
 * created once (SET NX: a retry beyond JetStream's duplicate window is the same alarm),
 * then announced until the `announced` marker is set. Each announcing step is safe to
 * repeat: indexes and the first escalation use NX, audit entries carry message ids,
 * and a repeated `raised` event has the same version, which desks drop.
 */
export function createRaiseHandler(deps: RaiseHandlerDeps) {
  const { store, notifier, audit, timers, enrich, escalateAfterMs, now, hooks } = deps;

  return async function handleRaise(message: AlarmRaisedMessage): Promise<{ alarm: Alarm; created: boolean; announced: boolean }> {
    let stored = await store.read(message.alarmId);
    let created = false;
    if (!stored) {
      const result = await store.createIfAbsent(await enrich(message));
      stored = result;
      created = result.created;
      if (created) hooks?.afterStore?.();
    }
    const { alarm } = stored;
    if (await store.isAnnounced(alarm.alarmId)) return { alarm, created, announced: false };

    await store.index(alarm);
    if (alarm.status === 'open' && alarm.escalationLevel === 0) {
      await timers.scheduleIfAbsent(escalationTimer(alarm.alarmId, 1), now() + escalateAfterMs);
    }
    notifier.event('raised', alarm);
    if (alarm.status !== 'resolved') notifier.follow(alarm, FOLLOW_INTERVAL_MS);
    await notifier.flush();
    hooks?.afterAnnounce?.();

    const key = alarmAuditKey(alarm.alarmId);
    await audit.append(
      {
        orderId: key,
        at: new Date(now()).toISOString(),
        actor: message.source === 'welfare' ? { role: 'system', id: 'welfare-timer' } : { role: 'nurse', id: alarm.nurseId },
        action: 'alarm.raised',
        to: 'open',
        details: {
          alarmId: alarm.alarmId,
          kind: alarm.kind,
          drill: alarm.drill,
          source: alarm.source,
          institutionId: alarm.institutionId,
          raisedAt: alarm.raisedAt,
          ...(alarm.orderId ? { orderId: alarm.orderId } : {}),
          patientAddressDisclosed: alarm.patientAddress !== undefined,
        },
      },
      `${key}-raised`,
    );
    if (alarm.patientAddress !== undefined && alarm.orderId) {
      // The patient's trail shows that her address went to the security desk, and why.
      await audit.append(
        {
          orderId: alarm.orderId,
          at: new Date(now()).toISOString(),
          actor: { role: 'security', id: 'security-desk' },
          action: 'patient.disclosed',
          details: { to: 'security-desk', role: 'security', reason: 'alarm', alarmId: alarm.alarmId, fields: ['address'] },
        },
        `${key}-disclosed`,
      );
    }
    await store.markAnnounced(alarm.alarmId);
    return { alarm, created, announced: true };
  };
}

export type RaiseHandler = ReturnType<typeof createRaiseHandler>;
