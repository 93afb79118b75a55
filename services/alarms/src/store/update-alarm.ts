import { NotFoundError, type Alarm } from '@nursing/contracts';
import type { AlarmStore } from './alarm-store.ts';

const MAX_ATTEMPTS = 20;

/**
 * Applies `change` to the stored alarm with compare-and-set, reading again whenever
 * another desk or instance changed it in between. `change` returns undefined for "no
 * change needed" and throws to refuse (e.g. ILLEGAL_TRANSITION). Returns the alarm as
 * stored afterwards and whether this call changed it.
 */
export async function updateAlarm(
  store: AlarmStore,
  alarmId: string,
  change: (alarm: Alarm) => Alarm | undefined,
): Promise<{ alarm: Alarm; changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.read(alarmId);
    if (!current) throw new NotFoundError('alarm', alarmId);
    const next = change(current.alarm);
    if (!next) return { alarm: current.alarm, changed: false };
    const written = await store.compareAndSet(current, next);
    if (written) return { alarm: written.alarm, changed: true };
  }
  throw new Error(`alarm ${alarmId} kept changing; gave up after ${MAX_ATTEMPTS} attempts`);
}
