import type { Alarm, AlarmEvent } from '@nursing/contracts';
import type { AlarmSound } from '../shared/alarm-sound.ts';
import { byId, fill, h } from '../shared/dom.ts';
import { duration } from '../shared/format.ts';
import { byUrgency, kindLabel } from '../shared/alarm-order.ts';

/** An acknowledged alarm stays on the banner this long, in amber, so the coordinator sees it was handled. */
const ACKNOWLEDGED_SHOWN_MS = 15_000;
/**
 * Rows shown before the rest fold into one line: when alarms pile up (a drill exercise,
 * an outage that trips check-ins) the map and the orders must stay in view.
 */
export const BANNER_ROWS = 3;

/**
 * The coordinator's alarm banner: any alarm of the institution shows at the top with
 * a sound until the security desk acknowledges it. Coordinators cannot silence it;
 * the desk owns the response.
 */
export function createAlarmBanner(options: { sound: AlarmSound; names: Map<string, string>; onAlarmNurse: (nurseId: string, on: boolean) => void; locate: (alarm: Alarm) => void }) {
  const banner = byId('alarm-banner');
  const alarms = new Map<string, { alarm: Alarm; acknowledgedAtMs?: number }>();
  let expanded = false;

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
    if (shown.length <= BANNER_ROWS) expanded = false;
    // Most urgent first (real before drills), so what folds away is the least urgent.
    const rows = expanded ? shown : shown.slice(0, BANNER_ROWS);
    const folded = shown.slice(rows.length);
    fill(
      banner,
      ...rows.map((a) =>
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
      shown.length > BANNER_ROWS ? foldRow(folded) : null,
    );
  }

  /** "+N more alarms (M drills)" with a toggle; only "Show fewer" once unfolded (nothing is folded then). */
  function foldRow(folded: readonly Alarm[]): HTMLElement {
    return h(
      'div',
      { class: 'row fold', 'data-folded': folded.length },
      folded.length > 0 ? h('strong', {}, `+${plural(folded.length, 'more alarm')}`) : null,
      folded.length > 0 ? drillNote(folded) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          id: 'alarm-banner-fold',
          'aria-expanded': String(expanded),
          onclick: () => {
            expanded = !expanded;
            render();
          },
        },
        expanded ? 'Show fewer' : 'Show all',
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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "(a drill)", "(all drills)" or "(2 drills)"; nothing when none of them is a drill. */
function drillNote(alarms: readonly Alarm[]): HTMLElement | null {
  const drills = alarms.filter((a) => a.drill).length;
  if (drills === 0) return null;
  if (drills < alarms.length) return h('span', {}, `(${plural(drills, 'drill')})`);
  return h('span', {}, drills === 1 ? '(a drill)' : '(all drills)');
}
