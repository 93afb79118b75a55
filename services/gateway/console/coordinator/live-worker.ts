import { openLiveSocket, type LiveSocket } from '../shared/live-socket.ts';
import { createLiveDrawer, GLIDE_MARKERS_UP_TO, type LiveScene } from './live-draw.ts';
import type { FromLiveWorker, LayerView, LivePosition, OrderMark, Pick, ToLiveWorker } from './live-protocol.ts';
import { NurseStore } from './nurse-store.ts';

/**
 * The live layer's worker (bundled as live-worker.js). With 10,000 nurses the page's
 * main thread could not keep 30 frames a second while also receiving ~7 position
 * frames a second, parsing them and rasterising 10,000 dots: without a GPU (headless
 * Chromium, many office PCs) the canvas is rasterised in software while the page
 * commits its frame, ~35 ms for 10,000 outlined dots, so each update frame cost two or
 * three display frames. Here the socket, the positions and the drawing live off the
 * main thread; the page receives finished bitmaps and shows each one, with the canvas
 * moved to where it was drawn for, in a single frame of its own.
 *
 * One bitmap is in flight at a time: the next is drawn when the page says it showed
 * the last, so a slow draw never queues stale frames. Positions are applied as they
 * arrive (nothing waits for the page, which pauses its frames while hidden), and the
 * next bitmap shows all of them.
 */

// The console compiles against the DOM library, where `self` is a Window.
const scope = self as unknown as {
  postMessage(message: FromLiveWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToLiveWorker>) => void) | null;
};

const store = new NurseStore();
const drawer = createLiveDrawer();
const canvas = new OffscreenCanvas(1, 1);
const ctx = canvas.getContext('2d')!;
let socket: LiveSocket | undefined;
let view: LayerView | undefined;
let orders: OrderMark[] = [];
let selected: Pick = null;
const pulses = new Map<string, number>();
let dirty = true;
let drawnVersion = -1;
let inFlight = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let knownIds = 0;
let updatesApplied = 0;
let positionFrames = 0;

function animating(nowMs: number): boolean {
  return (store.count <= GLIDE_MARKERS_UP_TO && store.gliding(nowMs)) || pulses.size > 0 || store.alarmCount > 0;
}

function needsFrame(): boolean {
  return dirty || store.version !== drawnVersion || animating(Date.now());
}

/** Draws soon, unless a bitmap is still on its way to the page (its `shown` asks again). */
function request(): void {
  if (inFlight || timer !== undefined || !view) return;
  // A macrotask, so a burst of socket frames already waiting is applied in one frame.
  timer = setTimeout(frame, 0);
}

function frame(): void {
  timer = undefined;
  if (!view) return;
  const started = performance.now();
  const nowMs = Date.now();
  const scene: LiveScene = { store, orders, pulses, selected, view };
  const drawn = drawer.draw(ctx, scene, nowMs);
  // Rasterises here, in the worker: the page only composites the result.
  const bitmap = canvas.transferToImageBitmap();
  const n = store.count;
  const nurses = {
    newIds: store.ids.slice(knownIds, n),
    count: n,
    x: drawn.x.slice(0, n),
    y: drawn.y.slice(0, n),
    lat: store.lat.slice(0, n),
    lng: store.lng.slice(0, n),
    atMs: store.atMs.slice(0, n),
    kind: drawn.kind.slice(0, n),
  };
  knownIds = n;
  dirty = false;
  drawnVersion = store.version;
  inFlight = true;
  const message: FromLiveWorker = { type: 'layer', bitmap, view, nurses, drawMs: performance.now() - started, updatesApplied, positionFrames };
  updatesApplied = 0;
  positionFrames = 0;
  scope.postMessage(message, [bitmap, nurses.x.buffer, nurses.y.buffer, nurses.lat.buffer, nurses.lng.buffer, nurses.atMs.buffer, nurses.kind.buffer]);
}

function setOrders(next: OrderMark[]): void {
  orders = next;
  for (const o of next) {
    if (o.group === 'broadcast') {
      if (!pulses.has(o.id)) pulses.set(o.id, Date.now());
    } else pulses.delete(o.id);
  }
  const present = new Set(next.map((o) => o.id));
  for (const id of pulses.keys()) if (!present.has(id)) pulses.delete(id);
}

function connect(path: string, token: string): void {
  socket = openLiveSocket({
    path,
    token: () => token,
    onState: (state) => scope.postMessage({ type: 'socket', state }, []),
    onFrame: (f) => {
      if (f.type === 'positions' || f.type === 'snapshot') {
        const nowMs = Date.now();
        for (const p of f['nurses'] as LivePosition[]) {
          store.upsert(p.nurseId, p.lat, p.lng, p.atMs, nowMs);
          if (p.status) store.setAvailability(p.nurseId, p.status);
          updatesApplied++;
        }
        positionFrames++;
        request();
      } else scope.postMessage({ type: 'frame', frame: f }, []);
    },
  });
}

scope.onmessage = ({ data: m }) => {
  switch (m.type) {
    case 'connect':
      connect(m.path, m.token);
      return;
    case 'send':
      socket?.send(m.frame);
      return;
    case 'view':
      view = m.view;
      dirty = true;
      break;
    case 'orders':
      setOrders(m.orders);
      dirty = true;
      break;
    case 'select':
      selected = m.pick;
      dirty = true;
      break;
    case 'availability':
      for (const n of m.nurses) store.setAvailability(n.nurseId, n.status);
      break;
    case 'on-visit':
      store.setOnVisit(m.nurseId, m.on);
      break;
    case 'alarm':
      store.setAlarm(m.nurseId, m.on);
      dirty = true;
      break;
    case 'shown':
      inFlight = false;
      if (!needsFrame()) return;
      break;
  }
  request();
};
