import * as L from 'leaflet';
import type { Alarm, AlarmEvent, Order, OrderEvent, OrderTrack } from '@nursing/contracts';
import { createApi } from '../shared/api.ts';
import { createAlarmSound } from '../shared/alarm-sound.ts';
import { createBaseMap, viewportOf } from '../shared/base-map.ts';
import { byId, fill, h } from '../shared/dom.ts';
import { createFrameStats, percentile } from '../shared/frame-stats.ts';
import { loadPageConfig } from '../shared/page-config.ts';
import { createReplay } from '../shared/replay.ts';
import { renderUser, signIn, signOut } from '../shared/session.ts';
import { createAlarmBanner } from './alarm-banner.ts';
import type { Catalog, ConsoleContext } from './context.ts';
import { createDetailPane } from './detail-pane.ts';
import { addLegend } from './legend.ts';
import { startLiveWorker, openWorkerSocket } from './live-worker-client.ts';
import { createMapCanvas } from './map-canvas.ts';
import type { Availability } from './nurse-store.ts';
import { ON_VISIT_STATES, OrderBook, groupOf } from './order-book.ts';
import { renderOrderForm } from './order-form.ts';
import { renderOrderPanel } from './order-panel.ts';
import { renderNursePanel } from './nurse-panel.ts';
import { createOverview } from './overview.ts';
import { createSupplyLayer, describeCell } from './supply-layer.ts';

const ROSTER_REFRESH_MS = 5_000;
/** Orders created this far back are loaded at start (open ones can be a few days old). */
const ORDER_LOOKBACK_MS = 3 * 86_400_000;

declare global {
  interface Window {
    /** Read-only hooks for the browser tests: what the map shows, without reading pixels. */
    __console?: {
      nurse(id: string): { lat: number; lng: number; kind: string } | null;
      order(id: string): { state: string; assignedNurseId?: string } | null;
      alarms(): string[];
    };
  }
}

async function main(): Promise<void> {
  const config = await loadPageConfig();
  const session = await signIn(byId('signin-root'), {
    title: 'Dispatch console: sign in',
    roles: ['coordinator'],
    devSignIn: config.devSignIn,
    devRoles: [{ role: 'coordinator', label: 'Sign in as coordinator' }],
  });
  renderUser(byId('user'), session);
  const institutionId = session.claims.institution ?? '';
  const api = createApi(() => session.token, signOut);
  const stats = createFrameStats();
  const sound = createAlarmSound(() => {
    stats.soundPlaying = sound.playing;
  });

  const notice = byId('notice');
  const map = createBaseMap(byId('map'), config, (text) => {
    notice.hidden = !text;
    fill(notice, text ?? '');
  });
  const orders = new OrderBook();
  const worker = startLiveWorker();
  const names = new Map<string, string>();
  let replayClose: (() => void) | undefined;

  const catalog = await api.get<Catalog>('/v1/catalog').catch(() => ({ items: [], negativeList: [], forbiddenDrugClasses: [] }) as Catalog);
  api
    .get<{ name: string; location: { lat: number; lng: number } }>(`/v1/institutions/${institutionId}`)
    .then((inst) => {
      fill(byId('institution'), `· ${inst.name}`);
      if (!new URLSearchParams(location.search).has('center')) map.setView([inst.location.lat, inst.location.lng], map.getZoom());
    })
    .catch(() => fill(byId('institution'), `· ${institutionId}`));

  const canvas = createMapCanvas({
    map,
    worker,
    orders,
    stats,
    onPick: (pick, at) => {
      if (document.body.classList.contains('picking')) return;
      if (pick?.kind === 'nurse') ctx.showNurse(pick.id);
      else if (pick?.kind === 'order') ctx.showOrder(pick.id);
      else {
        const cell = supply.cellAt(at);
        if (cell) L.popup().setLatLng(at).setContent(describeCell(cell)).openOn(map);
      }
    },
  });
  const store = canvas.nurses;
  const detail = createDetailPane(() => canvas.select(null));
  const ctx: ConsoleContext = {
    api,
    session,
    map,
    store,
    orders,
    catalog,
    names,
    detail,
    canvas,
    showNurse(id) {
      canvas.select({ kind: 'nurse', id });
      detail.show('nurse', id, renderNursePanel(ctx, id));
    },
    showOrder(id) {
      canvas.select({ kind: 'order', id });
      const o = orders.get(id);
      if (o) map.panTo([o.location.lat, o.location.lng]);
      detail.show('order', id, renderOrderPanel(ctx, id));
    },
    showOverview: () => detail.close(),
    replay(orderId) {
      replayClose?.();
      void api
        .get<OrderTrack>(`/v1/orders/${orderId}/track`)
        .then((track) => {
          const replay = createReplay(map, track, () => (replayClose = undefined));
          replayClose = replay.close;
          detail.el.prepend(replay.el);
        })
        .catch((err: Error) => overview.note(`Replay of ${orderId} unavailable: ${err.message}`));
    },
    ordersChanged() {
      overview.render();
      void supply.refresh();
    },
  };
  const overview = createOverview(ctx);
  const supply = createSupplyLayer({
    map,
    api,
    onTotals: (totals, error) => {
      supplyInfo = totals ?? { error: error ?? 'unknown error' };
      renderCounts();
    },
  });
  addLegend(map, (on) => supply.setVisible(on));

  const banner = createAlarmBanner({
    sound,
    names,
    onAlarmNurse: (nurseId, on) => canvas.setAlarm(nurseId, on),
    locate: (alarm: Alarm) => {
      const p = alarm.lastPosition;
      const i = store.index(alarm.nurseId);
      if (i !== undefined) map.setView([store.lat[i]!, store.lng[i]!], Math.max(map.getZoom(), 15));
      else if (p) map.setView([p.lat, p.lng], Math.max(map.getZoom(), 15));
    },
  });

  // ---- counts in the header ----
  let roster: { nurseId: string; status: Availability; eligible: boolean }[] = [];
  let supplyInfo: { supply: number; demand: number } | { error: string } | undefined;
  function renderCounts(): void {
    const by = (s: Availability) => roster.filter((n) => n.status === s).length;
    const open = [...orders.orders.values()].filter((o) => ['waiting', 'broadcast', 'unassigned'].includes(groupOf(o.state))).length;
    const assigned = [...orders.orders.values()].filter((o) => groupOf(o.state) === 'assigned').length;
    const counts = byId('counts');
    counts.replaceChildren();
    const part = (label: string, n: number | string) => h('span', {}, `${label} `, h('b', {}, String(n)));
    counts.append(part('Available', by('available')), part('Busy', by('busy')), part('Offline', by('offline')), part('Open orders', open), part('Assigned', assigned));
    if (supplyInfo && 'error' in supplyInfo) counts.append(h('span', { title: supplyInfo.error }, 'Supply layer unavailable'));
    else if (supplyInfo) counts.append(part('Supply in view', supplyInfo.supply), part('Demand in view', supplyInfo.demand));
  }

  async function refreshRoster(): Promise<void> {
    try {
      const reply = await api.get<{ nurses: { nurseId: string; name: string; status: Availability; eligible: boolean }[] }>('/v1/supply/nurses');
      roster = reply.nurses;
      canvas.setAvailability(reply.nurses);
      for (const n of reply.nurses) if (n.name) names.set(n.nurseId, n.name);
      renderCounts();
    } catch {
      // Shown as stale counts; the next refresh tries again.
    }
  }

  function applyOrder(order: Order, event?: OrderEvent): void {
    orders.put(order, event);
    const nurse = order.assignedNurseId;
    if (nurse) canvas.setOnVisit(nurse, ON_VISIT_STATES.includes(order.state) || orders.currentOf(nurse) !== undefined);
  }

  // ---- initial data ----
  const reply = await api.get<{ orders: Order[] }>('/v1/orders', { from: new Date(Date.now() - ORDER_LOOKBACK_MS).toISOString(), limit: 1000 }).catch(() => ({ orders: [] as Order[] }));
  for (const o of reply.orders) applyOrder(o);
  overview.render();
  renderCounts();
  void refreshRoster();
  window.setInterval(() => void refreshRoster(), ROSTER_REFRESH_MS);
  api
    .get<{ alarms: Alarm[] }>('/v1/alarms', { status: 'open' })
    .then((r) => r.alarms.forEach((a) => banner.apply(a)))
    .catch(() => undefined); // older deployments without the alarms API: the socket still brings new ones

  // ---- live socket (held by the live layer's worker, which keeps the positions) ----
  const conn = byId('conn');
  const socket = openWorkerSocket(worker, {
    path: '/ws/coordinator',
    token: () => session.token,
    onOpen: () => socket.send({ type: 'viewport', ...viewportOf(map) }),
    onState: (state) => {
      stats.socket = state;
      conn.dataset['state'] = state;
      fill(conn, state === 'open' ? 'Live' : state === 'closed' ? 'Reconnecting…' : 'Connecting…');
    },
    onFrame: (frame) => {
      switch (frame.type) {
        case 'order.event': {
          const e = frame as unknown as OrderEvent;
          applyOrder(e.order, e);
          overview.event(e);
          if (detail.current?.kind === 'order' && detail.current.id === e.order.id) ctx.showOrder(e.order.id);
          if (['grabbed', 'accepted', 'assigned', 'unassigned', 'cancelled', 'broadcast', 'dispatching'].includes(e.event)) void supply.refresh();
          renderCounts();
          break;
        }
        case 'alarm': {
          const e = frame as unknown as AlarmEvent;
          banner.event(e);
          if (e.event === 'raised') overview.note(`Alarm raised by ${e.alarm.nurseName ?? e.alarm.nurseId}${e.alarm.drill ? ' (drill)' : ''}`, 'alarm');
          break;
        }
        default:
          break;
      }
    },
  });
  let viewportTimer: number | undefined;
  map.on('moveend', () => {
    window.clearTimeout(viewportTimer);
    viewportTimer = window.setTimeout(() => socket.send({ type: 'viewport', ...viewportOf(map) }), 150);
  });

  // ---- header actions, search ----
  const newOrder = byId<HTMLButtonElement>('new-order');
  newOrder.disabled = false;
  newOrder.addEventListener('click', () => detail.show('form', 'new', renderOrderForm(ctx)));
  byId('find').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = (byId<HTMLInputElement>('find-input').value ?? '').trim();
    const error = byId('find-error');
    fill(error);
    if (!id) return;
    if (orders.get(id)) return ctx.showOrder(id);
    if (store.index(id) !== undefined || names.has(id)) return ctx.showNurse(id);
    // Unknown here: ask the API (an order older than the loaded window, or a nurse not on the map).
    api.get<Order>(`/v1/orders/${id}`).then(
      (o) => {
        applyOrder(o);
        ctx.showOrder(id);
      },
      () => ctx.showNurse(id),
    );
  });

  // ---- status bar ----
  const bar = byId('statusbar');
  window.setInterval(() => {
    const recent = stats.frameTimesMs.slice(-120);
    fill(bar, h('span', {}, `${stats.markers} nurses on map`), h('span', {}, `frame p95 ${percentile(recent, 95).toFixed(1)} ms`), h('span', {}, `${stats.updatesApplied} position updates`));
  }, 1000);

  window.__console = {
    nurse(id) {
      const i = store.index(id);
      return i === undefined ? null : { lat: store.lat[i]!, lng: store.lng[i]!, kind: store.kindOf(id) ?? 'unknown' };
    },
    order(id) {
      const o = orders.get(id);
      return o ? { state: o.state, ...(o.assignedNurseId ? { assignedNurseId: o.assignedNurseId } : {}) } : null;
    },
    alarms: () => [...document.querySelectorAll<HTMLElement>('#alarm-banner [data-alarm]')].map((el) => `${el.dataset['alarm']}:${el.dataset['status']}`),
  };
  document.body.dataset['ready'] = 'true';
}

void main().catch((err: unknown) => {
  document.body.append(h('p', { class: 'form-error', role: 'alert' }, `The console failed to start: ${(err as Error).message}`));
});
