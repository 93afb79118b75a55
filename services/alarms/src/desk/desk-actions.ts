import { alarmVersion, type Alarm, type TokenClaims } from '@nursing/contracts';
import type { TimerQueue } from '@nursing/timer-queue';
import type { AlarmStore } from '../store/alarm-store.ts';
import type { AlarmNotifier } from '../notify/alarm-notifier.ts';
import type { AlarmAudit } from '../audit/alarm-audit.ts';
import { alarmAuditKey } from '../audit/alarm-audit.ts';
import { acknowledged, resolved } from '../store/alarm-transitions.ts';
import { updateAlarm } from '../store/update-alarm.ts';
import { escalationTimer } from '../timers/alarm-timers.ts';
import { FOLLOW_STOP } from '../notify/follow.ts';

export interface DeskActionDeps {
  store: AlarmStore;
  timers: TimerQueue;
  notifier: AlarmNotifier;
  audit: AlarmAudit;
  now: () => number;
}

/**
 * What the security desk does with an alarm. Acknowledging stops escalation;
 * resolving (with notes) closes it and tells the nurse's app to stop reporting every
 * second. Both are compare-and-set transitions: of two desks acting at once, one wins
 * and the other gets 409.
 */
export function createDeskActions(deps: DeskActionDeps) {
  const { store, timers, notifier, audit, now } = deps;
  const iso = () => new Date(now()).toISOString();
  const actorOf = (claims: TokenClaims) => ({ role: claims.role, id: claims.sub });

  async function record(alarm: Alarm, claims: TokenClaims, action: string, from: string, notes: string | undefined): Promise<void> {
    const key = alarmAuditKey(alarm.alarmId);
    await audit.append(
      {
        orderId: key,
        at: alarm.history[alarm.history.length - 1]?.at ?? iso(),
        actor: actorOf(claims),
        action,
        from,
        to: alarm.status,
        details: { alarmId: alarm.alarmId, ...(notes ? { notes } : {}) },
      },
      `${key}-v${alarmVersion(alarm)}`,
    );
  }

  return {
    async acknowledge(alarmId: string, claims: TokenClaims, notes: string | undefined): Promise<Alarm> {
      const { alarm } = await updateAlarm(store, alarmId, (a) => acknowledged(a, actorOf(claims), iso(), notes));
      // The pending level is the only one scheduled; a level firing right now sees the alarm acknowledged.
      await timers.cancel(escalationTimer(alarmId, alarm.escalationLevel + 1));
      notifier.event('acknowledged', alarm);
      await record(alarm, claims, 'alarm.acknowledged', 'open', notes);
      return alarm;
    },

    async resolve(alarmId: string, claims: TokenClaims, notes: string): Promise<Alarm> {
      const { alarm } = await updateAlarm(store, alarmId, (a) => resolved(a, actorOf(claims), iso(), notes));
      await store.removeFromOpen(alarmId);
      notifier.event('resolved', alarm);
      notifier.follow(alarm, FOLLOW_STOP);
      await record(alarm, claims, 'alarm.resolved', 'acknowledged', notes);
      return alarm;
    },
  };
}

export type DeskActions = ReturnType<typeof createDeskActions>;
