import type { Alarm, AlarmEvent } from '@nursing/contracts';
import type { AlarmSound } from '../shared/alarm-sound.ts';
import { byId, fill, h } from '../shared/dom.ts';
import { duration } from '../shared/format.ts';
import { byUrgency, kindLabel } from '../shared/alarm-order.ts';

/** An acknowledged alarm stays on the banner this long, in amber, so the coordinator sees it was handled. */
const ACKNOWLEDGED_SHOWN_MS = 15_000;

/**
 * The coordinator's alarm banner: any alarm of the institution shows at the top with
 * a sound until the security desk acknowledges it. Coordinators cannot silence it;
 * the desk owns the response.
 */
export function createAlarmBanner(options: { sound: AlarmSound; names: Map<string, string>; onAlarmNurse: (nurseId: string, on: boolean) => void; locate: (alarm: Alarm) => void }) {
  const banner = byId('alarm-banner');
  const alarms = new Map<string, { alarm: Alarm; acknowledgedAtMs?: number }>();

  function render(): void {
    const nowMs = Date.now();
    for (const [id, entry] of alarms) {
      if (entry.alarm.status === 'resolved' || (entry.acknowledgedAtMs && nowMs - entry.acknowledgedAtMs > ACKNOWLEDGED_SHOWN_MS)) alarms.delete(id);
    }
    const shown = [...alarms.values()].map((e) => e.alarm).sort(byUrgency);
    const open = shown.filter((a) => a.status === 'open');
    if (open.length) options.sound.start();
    else options.sound.stop();
    banner.hidden = shown.length === 0;
    banner.classList.toggle('acknowledged', shown.length > 0 && open.length === 0);
    fill(
      banner,
      ...shown.map((a) =>
        h(
          'div',
          { class: 'row', 'data-alarm': a.alarmId, 'data-status': a.status },
          h('strong', {}, a.status === 'open' ? 'ALARM' : 'Alarm acknowledged'),
          a.drill ? h('span', { class: 'badge drill' }, 'DRILL') : null,
          h('span', {}, `${kindLabel(a)} · ${a.nurseName ?? options.names.get(a.nurseId) ?? a.nurseId} (${a.nurseId}) · raised `, h('span', { 'data-raised': a.raisedAt }, duration(nowMs - Date.parse(a.raisedAt))), ' ago'),
          a.escalationLevel > 0 ? h('span', { class: 'badge level' }, `Escalation ${a.escalationLevel}`) : null,
          h('span', {}, a.status === 'open' ? 'Waiting for the security desk' : `by ${a.acknowledgedBy ?? 'the desk'}`),
          h('button', { type: 'button', class: 'small', onclick: () => options.locate(a) }, 'Show on map'),
          options.sound.needsGesture ? h('button', { type: 'button', class: 'small' }, 'Click to enable sound') : null,
        ),
      ),
    );
  }

  // Ages tick in place (rebuilding would steal focus from the buttons); a full render
  // only when an acknowledged alarm's time on the banner is up.
  const ticker = window.setInterval(() => {
    const nowMs = Date.now();
    for (const el of banner.querySelectorAll<HTMLElement>('[data-raised]')) fill(el, duration(nowMs - Date.parse(el.dataset['raised']!)));
    for (const e of alarms.values()) if (e.acknowledgedAtMs && nowMs - e.acknowledgedAtMs > ACKNOWLEDGED_SHOWN_MS) return render();
  }, 1000);

  return {
    apply(alarm: Alarm): void {
      const known = alarms.get(alarm.alarmId);
      const acknowledgedAtMs = alarm.status === 'acknowledged' ? (known?.acknowledgedAtMs ?? Date.now()) : undefined;
      alarms.set(alarm.alarmId, { alarm, ...(acknowledgedAtMs ? { acknowledgedAtMs } : {}) });
      options.onAlarmNurse(alarm.nurseId, alarm.status !== 'resolved');
      render();
    },
    event(frame: AlarmEvent): void {
      this.apply(frame.alarm);
    },
    render,
    stop(): void {
      window.clearInterval(ticker);
    },
  };
}
