import type { Alarm, AlarmEvent, AlarmPositionFrame, AlarmsSnapshotFrame } from '@nursing/contracts';
import { ApiError, createApi } from '../shared/api.ts';
import { createAlarmSound } from '../shared/alarm-sound.ts';
import { byUrgency, kindLabel } from '../shared/alarm-order.ts';
import { createBaseMap } from '../shared/base-map.ts';
import { byId, fill, h } from '../shared/dom.ts';
import { createFrameStats } from '../shared/frame-stats.ts';
import { clockSeconds, duration, words } from '../shared/format.ts';
import { openLiveSocket } from '../shared/live-socket.ts';
import { loadPageConfig } from '../shared/page-config.ts';
import { renderUser, signIn, signOut } from '../shared/session.ts';
import { createAlarmMap, type TrailPoint } from './alarm-map.ts';

/** Trail points kept per alarm in the page (the server keeps the full trail). */
const TRAIL_KEEP = 5_000;

declare global {
  interface Window {
    __security?: { alarms(): { alarmId: string; status: string; escalationLevel: number; drill: boolean }[]; selected(): string | null; trail(alarmId: string): number };
  }
}

async function main(): Promise<void> {
  const config = await loadPageConfig();
  const session = await signIn(byId('signin-root'), {
    title: 'Security desk: sign in',
    roles: ['security', 'admin'],
    devSignIn: config.devSignIn,
    devRoles: [{ role: 'security', label: 'Sign in as security desk' }],
  });
  renderUser(byId('user'), session);
  const api = createApi(() => session.token, signOut);
  const stats = createFrameStats();
  const soundState = byId('sound-state');
  const sound = createAlarmSound(() => {
    stats.soundPlaying = sound.playing;
    soundState.hidden = !sound.playing && !sound.needsGesture;
    fill(soundState, sound.needsGesture ? 'Click anywhere to enable the alarm sound' : 'Alarm sounding');
  });
  const notice = byId('notice');
  const map = createBaseMap(byId('map'), config, (text) => {
    notice.hidden = !text;
    fill(notice, text ?? '');
  });
  const alarmMap = createAlarmMap(map);

  const alarms = new Map<string, Alarm>();
  const trails = new Map<string, TrailPoint[]>();
  let selected: string | null = null;

  const list = byId('alarms');
  const detail = byId('detail');

  function sorted(): Alarm[] {
    return [...alarms.values()].sort(byUrgency);
  }

  function apply(alarm: Alarm): void {
    if (alarm.status === 'resolved') {
      alarms.delete(alarm.alarmId);
      trails.delete(alarm.alarmId);
      alarmMap.remove(alarm.alarmId);
      if (selected === alarm.alarmId) selected = null;
    } else {
      alarms.set(alarm.alarmId, alarm);
      const trail = trails.get(alarm.alarmId) ?? [];
      if (trail.length === 0 && alarm.lastPosition) trail.push({ lat: alarm.lastPosition.lat, lng: alarm.lastPosition.lng, atMs: alarm.lastPosition.atMs });
      trails.set(alarm.alarmId, trail);
      alarmMap.update(alarm, trail);
    }
  }

  function render(): void {
    const all = sorted();
    if (all.some((a) => a.status === 'open')) sound.start();
    else sound.stop();
    byId('no-alarms').hidden = all.length > 0;
    const open = all.filter((a) => a.status === 'open').length;
    fill(byId('summary'), h('span', {}, 'Open ', h('b', {}, String(open))), h('span', {}, 'Acknowledged ', h('b', {}, String(all.length - open))));
    document.title = open ? `(${open}) ALARM · Security desk` : 'Security desk · Home nursing';
    if (!selected && all[0]) select(all[0].alarmId);
    const nowMs = Date.now();
    fill(
      list,
      ...all.map((a) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `alarm-card status-${a.status}${a.drill ? ' drill' : ''}`,
              'data-alarm': a.alarmId,
              'aria-pressed': String(a.alarmId === selected),
              onclick: () => select(a.alarmId),
            },
            h(
              'span',
              { class: 'line1' },
              a.drill ? h('span', { class: 'badge drill' }, 'DRILL') : null,
              h('span', {}, a.status === 'open' ? 'OPEN' : 'Acknowledged'),
              h('span', { class: 'badge level', title: 'escalation level' }, `L${a.escalationLevel}`),
              h('span', { class: 'age', 'data-raised': a.raisedAt }, duration(nowMs - Date.parse(a.raisedAt))),
            ),
            h('span', {}, `${a.nurseName ?? a.nurseId} · ${kindLabel(a)}`),
            h('span', { class: 'line2' }, `${a.institutionId}${a.orderId ? ` · order ${a.orderId}` : ''}`),
          ),
        ),
      ),
    );
    renderDetail();
  }

  function select(alarmId: string): void {
    selected = alarmId;
    const alarm = alarms.get(alarmId);
    if (alarm) alarmMap.select(alarm, trails.get(alarmId) ?? []);
    render();
  }

  let detailFor: string | null = null;
  let detailStatus = '';
  function renderDetail(): void {
    const alarm = selected ? alarms.get(selected) : undefined;
    if (!alarm) {
      detailFor = null;
      fill(detail, h('p', { class: 'empty' }, 'Select an alarm.'));
      return;
    }
    // Re-rendering while someone types notes would lose them: refresh facts only on a state change.
    const ageEl = detail.querySelector('[data-age]');
    if (detailFor === alarm.alarmId && detailStatus === `${alarm.status}:${alarm.escalationLevel}`) {
      if (ageEl) fill(ageEl, duration(Date.now() - Date.parse(alarm.raisedAt)));
      const pos = detail.querySelector('[data-position]');
      const last = trails.get(alarm.alarmId)?.at(-1);
      if (pos && last) fill(pos, `${last.lat.toFixed(5)}, ${last.lng.toFixed(5)} · ${duration(Date.now() - last.atMs)} ago`);
      return;
    }
    detailFor = alarm.alarmId;
    detailStatus = `${alarm.status}:${alarm.escalationLevel}`;
    const last = trails.get(alarm.alarmId)?.at(-1);
    const notes = h('textarea', { id: 'alarm-notes', rows: 3, 'aria-describedby': 'alarm-notes-error', placeholder: 'What was done, who was called' });
    const notesError = h('p', { class: 'field-error', id: 'alarm-notes-error', role: 'alert' });
    const actionError = h('p', { class: 'form-error', role: 'alert' });
    const follow = h('input', { type: 'checkbox', id: 'follow', checked: true, onchange: (e: Event) => alarmMap.setFollow((e.target as HTMLInputElement).checked) });

    async function act(action: 'acknowledge' | 'resolve'): Promise<void> {
      fill(notesError);
      fill(actionError);
      notes.removeAttribute('aria-invalid');
      const text = notes.value.trim();
      if (action === 'resolve' && !text) {
        fill(notesError, 'Resolving needs notes: what happened and what was done.');
        notes.setAttribute('aria-invalid', 'true');
        notes.focus();
        return;
      }
      try {
        const reply = await api.post<Alarm | { alarm: Alarm }>(`/v1/alarms/${alarm!.alarmId}/${action}`, text ? { notes: text } : {});
        const updated = 'alarmId' in reply ? reply : reply.alarm;
        if (updated?.alarmId) apply(updated);
        detailFor = null;
        render();
      } catch (err) {
        const problem = err instanceof ApiError ? err.problems.find((p) => p.path.startsWith('/notes')) : undefined;
        if (problem) {
          fill(notesError, problem.message);
          notes.setAttribute('aria-invalid', 'true');
        } else fill(actionError, `${words(action)} failed: ${err instanceof ApiError ? `${err.message} (${err.code})` : String(err)}`);
      }
    }

    const facts: [string, Node | string][] = [
      ['Nurse', `${alarm.nurseName ?? ''} (${alarm.nurseId})`],
      ['Institution', alarm.institutionId],
      ['Kind', kindLabel(alarm)],
      ['Raised', `${clockSeconds(alarm.raisedAt)} via ${alarm.source}`],
      ['Age', h('span', { 'data-age': '' }, duration(Date.now() - Date.parse(alarm.raisedAt)))],
      ['Escalation level', String(alarm.escalationLevel)],
      ['Last position', h('span', { 'data-position': '' }, last ? `${last.lat.toFixed(5)}, ${last.lng.toFixed(5)} · ${duration(Date.now() - last.atMs)} ago` : 'unknown')],
    ];
    if (alarm.orderId) facts.push(['Current visit', alarm.orderId]);
    if (alarm.note) facts.push(['Nurse note', alarm.note]);
    if (alarm.acknowledgedAt) facts.push(['Acknowledged', `${clockSeconds(alarm.acknowledgedAt)} by ${alarm.acknowledgedBy ?? '?'}`]);

    fill(
      detail,
      h('div', { class: 'detail-head' }, h('h3', {}, alarm.drill ? 'Drill alarm' : 'Alarm'), alarm.drill ? h('span', { class: 'badge drill' }, 'DRILL — not a real emergency') : null),
      h('h2', {}, "Patient's address (current visit)"),
      h('p', { class: 'address', 'data-address': '' }, alarm.patientAddress ?? 'No visit in progress: no address.'),
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('label', { for: 'follow', class: 'inline' }, follow, ' Follow her live position on the map'),
      h('div', { class: 'field' }, h('label', { for: 'alarm-notes' }, 'Notes'), notes, notesError),
      actionError,
      h(
        'div',
        { class: 'button-row' },
        alarm.status === 'open' ? h('button', { type: 'button', class: 'primary', id: 'acknowledge', onclick: () => void act('acknowledge') }, 'Acknowledge') : null,
        h('button', { type: 'button', class: alarm.status === 'open' ? '' : 'primary', id: 'resolve', onclick: () => void act('resolve') }, 'Resolve'),
      ),
      h('h2', {}, 'History'),
      h(
        'ol',
        { class: 'timeline' },
        ...alarm.history.map((t) => h('li', {}, h('time', { datetime: t.at }, clockSeconds(t.at)), h('span', {}, h('strong', {}, words(t.to)), t.level !== undefined ? ` level ${t.level}` : '', t.by ? ` · ${t.by.role} ${t.by.id}` : '', t.notes ? ` · ${t.notes}` : ''))),
      ),
    );
  }

  // ---- data: REST first (works before the socket connects), then the socket keeps it live ----
  api
    .get<{ alarms: Alarm[] }>('/v1/alarms', { status: 'open' })
    .then((r) => {
      for (const a of r.alarms) apply(a);
      render();
    })
    .catch(() => undefined);
  const conn = byId('conn');
  openLiveSocket({
    path: '/ws/security',
    token: () => session.token,
    onState: (state) => {
      stats.socket = state;
      conn.dataset['state'] = state;
      fill(conn, state === 'open' ? 'Live' : state === 'closed' ? 'Reconnecting…' : 'Connecting…');
    },
    onFrame: (frame) => {
      if (frame.type === 'alarms.snapshot') {
        const snap = frame as unknown as AlarmsSnapshotFrame;
        alarms.clear();
        for (const [id, points] of Object.entries(snap.trails)) trails.set(id, points.slice(-TRAIL_KEEP));
        for (const a of snap.alarms) apply(a);
        if (selected && !alarms.has(selected)) selected = null;
        if (selected) select(selected);
        render();
      } else if (frame.type === 'alarm') {
        apply((frame as unknown as AlarmEvent).alarm);
        if (selected === (frame as unknown as AlarmEvent).alarm.alarmId) detailFor = null;
        render();
      } else if (frame.type === 'alarm.position') {
        const p = frame as unknown as AlarmPositionFrame;
        const trail = trails.get(p.alarmId) ?? [];
        trail.push({ lat: p.lat, lng: p.lng, atMs: p.atMs });
        if (trail.length > TRAIL_KEEP) trail.splice(0, trail.length - TRAIL_KEEP);
        trails.set(p.alarmId, trail);
        const alarm = alarms.get(p.alarmId);
        if (alarm) alarmMap.update(alarm, trail);
      }
    },
  });
  // Ages tick in place: rebuilding the list every second would steal keyboard focus.
  window.setInterval(() => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-raised]')) fill(el, duration(Date.now() - Date.parse(el.dataset['raised']!)));
    renderDetail();
  }, 1000);
  render();

  window.__security = {
    alarms: () => sorted().map((a) => ({ alarmId: a.alarmId, status: a.status, escalationLevel: a.escalationLevel, drill: a.drill })),
    selected: () => selected,
    trail: (alarmId) => trails.get(alarmId)?.length ?? 0,
  };
  document.body.dataset['ready'] = 'true';
}

void main().catch((err: unknown) => {
  document.body.append(h('p', { class: 'form-error', role: 'alert' }, `The security desk failed to start: ${(err as Error).message}`));
});
