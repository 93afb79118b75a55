import { TWEEN_MS, type NurseStore } from './nurse-store.ts';
import type { LayerView, OrderMark, Pick } from './live-protocol.ts';
import { createMarkerSprites } from './marker-sprites.ts';
import { NURSE_COLOURS, ORDER_COLOURS } from './palette.ts';

const PULSE_MS = 1600;
/**
 * Up to this many nurses, a moved dot glides to its new fix (a redraw every frame); above
 * it, dots jump once per update, which leaves the layer idle between updates.
 */
export const GLIDE_MARKERS_UP_TO = 2_000;

export function markerRadius(zoom: number): number {
  return zoom <= 11 ? 3 : zoom <= 13 ? 4.5 : 6;
}

/** Everything one frame of the layer shows. */
export interface LiveScene {
  store: NurseStore;
  orders: readonly OrderMark[];
  /** When each open grab broadcast started rippling, by order id. */
  pulses: ReadonlyMap<string, number>;
  selected: Pick;
  view: LayerView;
}

/** Where each nurse was drawn (normalised Web Mercator) and in which colour, indexed like the store. */
export interface DrawnNurses {
  x: Float64Array;
  y: Float64Array;
  kind: Uint8Array;
}

/**
 * Draws the live layer: every nurse and order, the lines from assigned nurses to their
 * patients, alarm halos, grab ripples and the selection ring. Nurses are stamped from
 * pre-drawn sprites (marker-sprites.ts), one colour after another so that alarms and
 * visits lie on top of the crowd.
 */
export function createLiveDrawer() {
  const spritesFor = createMarkerSprites();
  let drawn: DrawnNurses = { x: new Float64Array(1024), y: new Float64Array(1024), kind: new Uint8Array(1024) };

  function draw(ctx: OffscreenCanvasRenderingContext2D, scene: LiveScene, nowMs: number): DrawnNurses {
    const { store, view } = scene;
    const canvas = ctx.canvas;
    const { dpr } = view;
    if (canvas.width !== Math.round(view.width * dpr) || canvas.height !== Math.round(view.height * dpr)) {
      canvas.width = Math.round(view.width * dpr);
      canvas.height = Math.round(view.height * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, view.width, view.height);

    const scale = 256 * 2 ** view.zoom;
    const { x0, y0 } = view;
    const r = markerRadius(view.zoom);
    const w = view.width + r;
    const hgt = view.height + r;

    if (drawn.x.length < store.count) {
      const size = store.fromX.length;
      drawn = { x: new Float64Array(size), y: new Float64Array(size), kind: new Uint8Array(size) };
    }
    const { fromX, fromY, toX, toY, tweenStart } = store;
    const glide = store.count <= GLIDE_MARKERS_UP_TO;
    for (let i = 0; i < store.count; i++) {
      let t = glide ? (nowMs - tweenStart[i]!) / TWEEN_MS : 1;
      t = t >= 1 ? 1 : t <= 0 ? 0 : t;
      const mx = fromX[i]! + (toX[i]! - fromX[i]!) * t;
      const my = fromY[i]! + (toY[i]! - fromY[i]!) * t;
      drawn.x[i] = mx;
      drawn.y[i] = my;
      drawn.kind[i] = store.kind(i);
    }
    const nurseX = (i: number) => drawn.x[i]! * scale - x0;
    const nurseY = (i: number) => drawn.y[i]! * scale - y0;

    // Lines from each assigned nurse to her patient, under the markers.
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = NURSE_COLOURS.visit;
    ctx.beginPath();
    for (const o of scene.orders) {
      if (o.group !== 'assigned' || !o.nurseId) continue;
      const i = store.index(o.nurseId);
      if (i === undefined) continue;
      ctx.moveTo(nurseX(i), nurseY(i));
      ctx.lineTo(o.x * scale - x0, o.y * scale - y0);
    }
    ctx.stroke();
    ctx.setLineDash([]);

    const { images, half } = spritesFor(r, dpr);
    // Stamps go on whole device pixels: anywhere else they would be resampled, blurred and slower.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (let k = 0; k < images.length; k++) {
      const image = images[k]!;
      for (let i = 0; i < store.count; i++) {
        if (drawn.kind[i] !== k) continue;
        const x = nurseX(i);
        const y = nurseY(i);
        if (x < -r || y < -r || x > w || y > hgt) continue;
        ctx.drawImage(image, Math.round(x * dpr) - half, Math.round(y * dpr) - half);
      }
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);

    // Alarm halos pulse so an alarming nurse is found at a glance.
    const phase = (nowMs % PULSE_MS) / PULSE_MS;
    ctx.strokeStyle = NURSE_COLOURS.alarm;
    ctx.lineWidth = 3;
    for (let i = 0; i < store.count; i++) {
      if (!store.alarm[i]) continue;
      ctx.globalAlpha = 1 - phase;
      ctx.beginPath();
      ctx.arc(nurseX(i), nurseY(i), r + 4 + phase * 18, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;

    for (const o of scene.orders) drawOrder(ctx, o, o.x * scale - x0, o.y * scale - y0, scene.pulses, nowMs);

    const { selected } = scene;
    if (selected) {
      let p: { x: number; y: number } | undefined;
      if (selected.kind === 'nurse') {
        const i = store.index(selected.id);
        if (i !== undefined) p = { x: nurseX(i), y: nurseY(i) };
      } else {
        const o = scene.orders.find((m) => m.id === selected.id);
        if (o) p = { x: o.x * scale - x0, y: o.y * scale - y0 };
      }
      if (p) {
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(p.x, p.y, r + 7, 0, Math.PI * 2);
        ctx.stroke();
      }
    }
    return drawn;
  }

  return { draw };
}

function drawOrder(ctx: OffscreenCanvasRenderingContext2D, o: OrderMark, x: number, y: number, pulses: ReadonlyMap<string, number>, nowMs: number): void {
  const { group } = o;
  if (group === 'cancelled') return;
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
