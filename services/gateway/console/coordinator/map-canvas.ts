import * as L from 'leaflet';
import type { Order } from '@nursing/contracts';
import { KIND, MARKER_KINDS, TWEEN_MS, NurseStore, mercatorX, mercatorY, type Availability } from './nurse-store.ts';
import { groupOf, type OrderBook } from './order-book.ts';
import { NURSE_COLOURS, ORDER_COLOURS } from './palette.ts';
import { recordFrame, type ConsoleStats } from '../shared/frame-stats.ts';

export type Pick = { kind: 'nurse'; id: string } | { kind: 'order'; id: string } | null;

/** One position as the gateway sends it (MapPosition). */
export interface LivePosition {
  nurseId: string;
  lat: number;
  lng: number;
  atMs: number;
  /** Availability, when the gateway knows it; the roster fills in otherwise. */
  status?: Availability;
}

const PULSE_MS = 1600;
/** Above this many nurses, small markers are drawn as squares (see draw). */
const SQUARE_MARKERS_ABOVE = 2_000;
/**
 * Up to this many nurses, a moved dot glides to its new fix (a redraw every frame); above
 * it, dots jump once per update, which leaves the browser idle between updates.
 */
const GLIDE_MARKERS_UP_TO = 2_000;
const NURSE_HIT_PX = 8;
const ORDER_HIT_PX = 10;

/**
 * The live layer: one canvas over the map on which every nurse and order is drawn
 * each animation frame that needs it. Position frames from the socket are queued and
 * applied at the start of the next frame, all at once, so a burst of frames costs one
 * redraw. Leaflet's own vector layers would create a DOM or canvas object per marker;
 * at 10,000 markers moving every second that is what makes other live maps slow.
 */
export function createMapCanvas(options: { map: L.Map; store: NurseStore; orders: OrderBook; stats: ConsoleStats; onPick: (pick: Pick, at: L.LatLng) => void }) {
  const { map, store, orders, stats } = options;
  const pane = map.createPane('live');
  pane.style.zIndex = '450';
  pane.style.pointerEvents = 'none';
  const canvas = L.DomUtil.create('canvas', 'live-canvas', pane);
  canvas.setAttribute('aria-hidden', 'true');
  const ctx = canvas.getContext('2d')!;

  const queue: LivePosition[][] = [];
  let screenX = new Float32Array(1024);
  let screenY = new Float32Array(1024);
  let dirty = true;
  let drawnVersion = -1;
  let drawnOrders = -1;
  let lastFrame: number | undefined;
  let selected: Pick = null;
  const pulses = new Map<string, number>();

  map.on('move zoom resize viewreset', () => (dirty = true));
  map.on('zoomstart', () => (canvas.style.visibility = 'hidden'));
  map.on('zoomend', () => {
    canvas.style.visibility = '';
    dirty = true;
  });

  function radius(): number {
    const z = map.getZoom();
    return z <= 11 ? 3 : z <= 13 ? 4.5 : 6;
  }

  function applyQueue(nowMs: number): void {
    for (const batch of queue) {
      for (const p of batch) {
        store.upsert(p.nurseId, p.lat, p.lng, p.atMs, nowMs);
        if (p.status) store.setAvailability(p.nurseId, p.status);
      }
      stats.updatesApplied += batch.length;
    }
    queue.length = 0;
    stats.markers = store.count;
  }

  function draw(nowMs: number): void {
    const size = map.getSize();
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size.x * dpr) || canvas.height !== Math.round(size.y * dpr)) {
      canvas.width = Math.round(size.x * dpr);
      canvas.height = Math.round(size.y * dpr);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);

    const scale = 256 * 2 ** map.getZoom();
    const origin = map.getPixelBounds().min!;
    const ox = origin.x;
    const oy = origin.y;
    const r = radius();
    const w = size.x + r;
    const hgt = size.y + r;

    if (screenX.length < store.fromX.length) {
      screenX = new Float32Array(store.fromX.length);
      screenY = new Float32Array(store.fromX.length);
    }
    const paths = MARKER_KINDS.map(() => new Path2D());
    // Zoomed out over a whole city, a 3-pixel dot looks the same as a square, and squares
    // rasterise several times faster than arcs: what keeps 10,000 moving nurses smooth.
    const squares = r <= 3 && store.count > SQUARE_MARKERS_ABOVE;
    const { fromX, fromY, toX, toY, tweenStart } = store;
    const glide = store.count <= GLIDE_MARKERS_UP_TO;
    for (let i = 0; i < store.count; i++) {
      let t = glide ? (nowMs - tweenStart[i]!) / TWEEN_MS : 1;
      t = t >= 1 ? 1 : t <= 0 ? 0 : t;
      const x = (fromX[i]! + (toX[i]! - fromX[i]!) * t) * scale - ox;
      const y = (fromY[i]! + (toY[i]! - fromY[i]!) * t) * scale - oy;
      screenX[i] = x;
      screenY[i] = y;
      if (x < -r || y < -r || x > w || y > hgt) continue;
      const path = paths[store.kind(i)]!;
      if (squares) {
        path.rect(x - r, y - r, 2 * r, 2 * r);
      } else {
        path.moveTo(x + r, y);
        path.arc(x, y, r, 0, Math.PI * 2);
      }
    }

    // Lines from each assigned nurse to her patient, under the markers.
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = NURSE_COLOURS.visit;
    ctx.beginPath();
    for (const o of orders.orders.values()) {
      if (groupOf(o.state) !== 'assigned' || !o.assignedNurseId) continue;
      const i = store.index(o.assignedNurseId);
      if (i === undefined) continue;
      ctx.moveTo(screenX[i]!, screenY[i]!);
      ctx.lineTo(mercatorX(o.location.lng) * scale - ox, mercatorY(o.location.lat) * scale - oy);
    }
    ctx.stroke();
    ctx.setLineDash([]);

    ctx.lineWidth = r > 3 ? 1 : 0.75;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    for (let k = 0; k < paths.length; k++) {
      if (k === KIND.other) {
        ctx.strokeStyle = '#8d939b';
        ctx.stroke(paths[k]!);
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        continue;
      }
      ctx.fillStyle = NURSE_COLOURS[MARKER_KINDS[k]!];
      ctx.fill(paths[k]!);
      if (r > 3) ctx.stroke(paths[k]!);
    }

    // Alarm halos pulse so an alarming nurse is found at a glance.
    const phase = (nowMs % PULSE_MS) / PULSE_MS;
    ctx.strokeStyle = NURSE_COLOURS.alarm;
    ctx.lineWidth = 3;
    for (let i = 0; i < store.count; i++) {
      if (!store.alarm[i]) continue;
      ctx.globalAlpha = 1 - phase;
      ctx.beginPath();
      ctx.arc(screenX[i]!, screenY[i]!, r + 4 + phase * 18, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;

    for (const o of orders.orders.values()) drawOrder(o, scale, ox, oy, nowMs);

    if (selected) {
      const p = selected.kind === 'nurse' ? nursePoint(selected.id) : orderPoint(selected.id, scale, ox, oy);
      if (p) {
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(p.x, p.y, r + 7, 0, Math.PI * 2);
        ctx.stroke();
      }
    }
  }

  function drawOrder(o: Order, scale: number, ox: number, oy: number, nowMs: number): void {
    const group = groupOf(o.state);
    if (group === 'cancelled') return;
    const x = mercatorX(o.location.lng) * scale - ox;
    const y = mercatorY(o.location.lat) * scale - oy;
    const s = group === 'done' ? 5 : 7;
    if (group === 'broadcast') {
      // A grab broadcast ripples outward while it is open.
      const started = pulses.get(o.id) ?? nowMs;
      const phase = ((nowMs - started) % PULSE_MS) / PULSE_MS;
      ctx.strokeStyle = ORDER_COLOURS.broadcast;
      ctx.lineWidth = 2;
      ctx.globalAlpha = 1 - phase;
      ctx.beginPath();
      ctx.arc(x, y, s + 4 + phase * 26, 0, Math.PI * 2);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    ctx.beginPath();
    ctx.moveTo(x, y - s);
    ctx.lineTo(x + s, y);
    ctx.lineTo(x, y + s);
    ctx.lineTo(x - s, y);
    ctx.closePath();
    ctx.fillStyle = group === 'unassigned' ? '#fff' : ORDER_COLOURS[group];
    ctx.fill();
    ctx.lineWidth = group === 'unassigned' ? 3 : 1.5;
    ctx.strokeStyle = group === 'unassigned' ? ORDER_COLOURS.unassigned : '#fff';
    ctx.stroke();
  }

  function nursePoint(id: string): { x: number; y: number } | undefined {
    const i = store.index(id);
    return i === undefined ? undefined : { x: screenX[i]!, y: screenY[i]! };
  }

  function orderPoint(id: string, scale: number, ox: number, oy: number): { x: number; y: number } | undefined {
    const o = orders.get(id);
    return o ? { x: mercatorX(o.location.lng) * scale - ox, y: mercatorY(o.location.lat) * scale - oy } : undefined;
  }

  /** The order or nurse under a point of the map container (orders win: they are fewer and bigger). */
  function hitTest(p: L.Point): Pick {
    const scale = 256 * 2 ** map.getZoom();
    const origin = map.getPixelBounds().min!;
    let best: Pick = null;
    let bestD = ORDER_HIT_PX * ORDER_HIT_PX;
    for (const o of orders.orders.values()) {
      if (groupOf(o.state) === 'cancelled') continue;
      const q = orderPoint(o.id, scale, origin.x, origin.y)!;
      const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { kind: 'order', id: o.id };
      }
    }
    if (best) return best;
    bestD = NURSE_HIT_PX * NURSE_HIT_PX;
    for (let i = 0; i < store.count; i++) {
      const d = (screenX[i]! - p.x) ** 2 + (screenY[i]! - p.y) ** 2;
      if (d <= bestD && !store.ids[i]!.startsWith('anon-')) {
        bestD = d;
        best = { kind: 'nurse', id: store.ids[i]! };
      }
    }
    return best;
  }

  map.on('click', (e: L.LeafletMouseEvent) => options.onPick(hitTest(e.containerPoint), e.latlng));
  const container = map.getContainer();
  let hoverQueued = false;
  map.on('mousemove', (e: L.LeafletMouseEvent) => {
    if (hoverQueued) return;
    hoverQueued = true;
    requestAnimationFrame(() => {
      hoverQueued = false;
      const hit = hitTest(e.containerPoint);
      container.classList.toggle('over-marker', hit !== null);
      container.title = hit ? (hit.kind === 'nurse' ? `Nurse ${hit.id}` : `Order ${hit.id}`) : '';
    });
  });

  function frame(t: number): void {
    const started = performance.now();
    const nowMs = Date.now();
    if (queue.length) applyQueue(nowMs);
    const animating = (store.count <= GLIDE_MARKERS_UP_TO && store.gliding(nowMs)) || pulses.size > 0 || store.alarmCount > 0;
    if (dirty || animating || store.version !== drawnVersion || orders.version !== drawnOrders) {
      draw(nowMs);
      dirty = false;
      drawnVersion = store.version;
      drawnOrders = orders.version;
    }
    recordFrame(stats, lastFrame === undefined ? undefined : t - lastFrame, performance.now() - started);
    lastFrame = t;
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  orders.onChange((o) => {
    if (o.state === 'broadcast') {
      if (!pulses.has(o.id)) pulses.set(o.id, Date.now());
    } else pulses.delete(o.id);
  });

  return {
    /** Queues a batch of positions for the next frame. */
    push(batch: LivePosition[]): void {
      if (batch.length) queue.push(batch);
      stats.positionFrames++;
    },
    select(pick: Pick): void {
      selected = pick;
      dirty = true;
    },
    redraw(): void {
      dirty = true;
    },
  };
}

export type MapCanvas = ReturnType<typeof createMapCanvas>;
