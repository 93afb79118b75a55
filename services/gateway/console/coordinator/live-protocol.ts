import type { SocketFrame, SocketState } from '../shared/live-socket.ts';
import type { Availability } from './nurse-store.ts';
import type { OrderGroup } from './order-book.ts';

/**
 * What the page and the live-layer worker (live-worker.ts) say to each other. The
 * worker holds the gateway socket, every nurse's position and the drawing; the page
 * holds Leaflet, the panels and the orders, and shows the bitmaps the worker draws.
 */

/** One position as the gateway sends it (MapPosition). */
export interface LivePosition {
  nurseId: string;
  lat: number;
  lng: number;
  atMs: number;
  /** Availability, when the gateway knows it; the roster fills in otherwise. */
  status?: Availability;
}

export type Pick = { kind: 'nurse'; id: string } | { kind: 'order'; id: string } | null;

/** An order as the layer draws it; x and y in normalised Web Mercator (see nurse-store.ts). */
export interface OrderMark {
  id: string;
  x: number;
  y: number;
  group: OrderGroup;
  nurseId?: string;
}

/**
 * The part of the world one layer bitmap covers. `left`/`top` place the bitmap in
 * Leaflet's layer coordinates (what the page positions the canvas with); `x0`/`y0` are
 * the same corner in world pixels at `zoom` (what the worker draws with). Sizes are
 * CSS pixels; the bitmap has `dpr` times as many.
 */
export interface LayerView {
  seq: number;
  zoom: number;
  x0: number;
  y0: number;
  left: number;
  top: number;
  width: number;
  height: number;
  dpr: number;
}

/**
 * The worker's nurses as of one bitmap, so the page can hit-test what it shows and
 * answer the panels. Indices never change, so only new ids travel; the arrays hold
 * `count` entries and are transferred, not copied.
 */
export interface NurseSnapshot {
  newIds: string[];
  count: number;
  /** Where each dot was drawn, normalised Web Mercator (mid-glide when gliding). */
  x: Float64Array;
  y: Float64Array;
  lat: Float64Array;
  lng: Float64Array;
  atMs: Float64Array;
  /** Index into MARKER_KINDS. */
  kind: Uint8Array;
}

/** A drawn frame of the layer, with the counters since the previous one. */
export interface LayerFrame {
  type: 'layer';
  bitmap: ImageBitmap;
  view: LayerView;
  nurses: NurseSnapshot;
  /** Worker time for this frame: drawing and rasterising (positions are applied as they arrive). */
  drawMs: number;
  updatesApplied: number;
  positionFrames: number;
}

export type ToLiveWorker =
  | { type: 'connect'; path: string; token: string }
  | { type: 'send'; frame: object }
  | { type: 'view'; view: LayerView }
  | { type: 'orders'; orders: OrderMark[] }
  | { type: 'select'; pick: Pick }
  | { type: 'availability'; nurses: { nurseId: string; status: Availability }[] }
  | { type: 'on-visit'; nurseId: string; on: boolean }
  | { type: 'alarm'; nurseId: string; on: boolean }
  /** The page has shown the last bitmap: the worker may draw the next one. */
  | { type: 'shown' };

export type FromLiveWorker =
  | { type: 'socket'; state: SocketState }
  /** A socket frame other than positions, parsed. */
  | { type: 'frame'; frame: SocketFrame }
  | LayerFrame;
