import * as L from 'leaflet';
import { recordFrame, recordLayerFrame, type ConsoleStats } from '../shared/frame-stats.ts';
import type { LayerFrame, LayerView, OrderMark, Pick } from './live-protocol.ts';
import type { LiveWorker } from './live-worker-client.ts';
import { NurseMirror } from './nurse-mirror.ts';
import { mercatorX, mercatorY, type Availability } from './nurse-store.ts';
import { groupOf, type OrderBook } from './order-book.ts';

const NURSE_HIT_PX = 8;
const ORDER_HIT_PX = 10;
/**
 * The bitmap reaches this far past each edge of the map (a share of its size), so a
 * drag uncovers dots already drawn while the worker draws the next bitmap.
 */
const PADDING = 0.1;

/**
 * The live layer on the page: one canvas over the map that shows the bitmaps the
 * worker draws (live-worker.ts) with every nurse and order on them. Each bitmap comes
 * with the view it was drawn for, and is shown and positioned in the same frame, so
 * dots never sit off the map while it pans. Leaflet's own vector layers would create
 * a DOM or canvas object per marker; at 10,000 markers moving every second that is
 * what makes other live maps slow.
 *
 * The page's frames are measured here (frame-stats.ts): the map the user sees, drags
 * and clicks is driven by this thread, so its frame times are what a coordinator feels.
 */
export function createMapCanvas(options: { map: L.Map; worker: LiveWorker; orders: OrderBook; stats: ConsoleStats; onPick: (pick: Pick, at: L.LatLng) => void }) {
  const { map, worker, orders, stats } = options;
  const pane = map.createPane('live');
  pane.style.zIndex = '450';
  pane.style.pointerEvents = 'none';
  const canvas = L.DomUtil.create('canvas', 'live-canvas', pane);
  canvas.setAttribute('aria-hidden', 'true');
  const renderer = canvas.getContext('bitmaprenderer')!;
  const nurses = new NurseMirror();
  const sentStatus = new Map<string, Availability>();

  let seq = 0;
  let viewChanged = true;
  let ordersChanged = true;
  /** The view of the bitmap on screen. */
  let shown: LayerView | undefined;
  /** After a zoom or a jump the layer stays hidden until a bitmap drawn for the new view arrives. */
  let hiddenUntil = 0;
  let pending: LayerFrame | undefined;
  let lastFrame: number | undefined;

  map.on('move zoomend resize viewreset', () => (viewChanged = true));
  map.on('zoomstart', () => (canvas.style.visibility = 'hidden'));
  orders.onChange(() => (ordersChanged = true));
  worker.on('layer', (frame) => {
    pending?.bitmap.close();
    pending = frame;
  });

  function postView(): void {
    const size = map.getSize();
    const pad = size.multiplyBy(PADDING).round();
    const topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1));
    const origin = map.getPixelOrigin();
    const view: LayerView = {
      seq: ++seq,
      zoom: map.getZoom(),
      x0: topLeft.x + origin.x,
      y0: topLeft.y + origin.y,
      left: topLeft.x,
      top: topLeft.y,
      width: size.x + 2 * pad.x,
      height: size.y + 2 * pad.y,
      dpr: window.devicePixelRatio || 1,
    };
    if (shown && !fits(shown)) {
      canvas.style.visibility = 'hidden';
      hiddenUntil = view.seq;
    }
    worker.post({ type: 'view', view });
  }

  function orderMarks(): OrderMark[] {
    const marks: OrderMark[] = [];
    for (const o of orders.orders.values()) {
      const group = groupOf(o.state);
      if (group === 'cancelled') continue;
      marks.push({ id: o.id, x: mercatorX(o.location.lng), y: mercatorY(o.location.lat), group, ...(o.assignedNurseId ? { nurseId: o.assignedNurseId } : {}) });
    }
    return marks;
  }

  /** Drawn for the zoom and pixel origin the map has now? Leaflet's layer coordinates change with either. */
  function fits(view: LayerView): boolean {
    const origin = map.getPixelOrigin();
    return view.zoom === map.getZoom() && Math.abs(view.x0 - view.left - origin.x) < 0.5 && Math.abs(view.y0 - view.top - origin.y) < 0.5;
  }

  function show(frame: LayerFrame): void {
    nurses.apply(frame.nurses);
    stats.markers = nurses.count;
    stats.updatesApplied += frame.updatesApplied;
    stats.positionFrames += frame.positionFrames;
    recordLayerFrame(stats, frame.drawMs);
    const { view } = frame;
    if (fits(view)) {
      renderer.transferFromImageBitmap(frame.bitmap);
      canvas.style.width = `${view.width}px`;
      canvas.style.height = `${view.height}px`;
      L.DomUtil.setPosition(canvas, L.point(view.left, view.top));
      shown = view;
      if (view.seq >= hiddenUntil) canvas.style.visibility = '';
    } else frame.bitmap.close();
    worker.post({ type: 'shown' });
  }

  /** The order or nurse under a point of the map container (orders win: they are fewer and bigger). */
  function hitTest(p: L.Point): Pick {
    const scale = 256 * 2 ** map.getZoom();
    const origin = map.getPixelBounds().min!;
    let best: Pick = null;
    let bestD = ORDER_HIT_PX * ORDER_HIT_PX;
    for (const o of orders.orders.values()) {
      if (groupOf(o.state) === 'cancelled') continue;
      const d = (mercatorX(o.location.lng) * scale - origin.x - p.x) ** 2 + (mercatorY(o.location.lat) * scale - origin.y - p.y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { kind: 'order', id: o.id };
      }
    }
    if (best) return best;
    bestD = NURSE_HIT_PX * NURSE_HIT_PX;
    for (let i = 0; i < nurses.count; i++) {
      const d = (nurses.x[i]! * scale - origin.x - p.x) ** 2 + (nurses.y[i]! * scale - origin.y - p.y) ** 2;
      if (d <= bestD && !nurses.ids[i]!.startsWith('anon-')) {
        bestD = d;
        best = { kind: 'nurse', id: nurses.ids[i]! };
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
    if (viewChanged) {
      postView();
      viewChanged = false;
    }
    if (ordersChanged) {
      worker.post({ type: 'orders', orders: orderMarks() });
      ordersChanged = false;
    }
    if (pending) {
      show(pending);
      pending = undefined;
    }
    recordFrame(stats, lastFrame === undefined ? undefined : t - lastFrame, performance.now() - started);
    lastFrame = t;
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  return {
    /** The nurses as shown, for the panels and the tests. */
    nurses,
    select(pick: Pick): void {
      worker.post({ type: 'select', pick });
    },
    /** Roster statuses; only changes travel to the worker. */
    setAvailability(roster: readonly { nurseId: string; status: Availability }[]): void {
      const changed = roster.filter((n) => sentStatus.get(n.nurseId) !== n.status);
      for (const n of changed) sentStatus.set(n.nurseId, n.status);
      if (changed.length) worker.post({ type: 'availability', nurses: changed.map(({ nurseId, status }) => ({ nurseId, status })) });
    },
    setOnVisit(nurseId: string, on: boolean): void {
      worker.post({ type: 'on-visit', nurseId, on });
    },
    setAlarm(nurseId: string, on: boolean): void {
      worker.post({ type: 'alarm', nurseId, on });
    },
  };
}

export type MapCanvas = ReturnType<typeof createMapCanvas>;
