import * as L from 'leaflet';
import type { Api } from '../shared/api.ts';
import { viewportOf } from '../shared/base-map.ts';
import { HEX_COLOURS } from './palette.ts';

/** One H3 cell of GET /v1/supply (services/dispatch/src/stats/supply-routes.ts). */
export interface SupplyCell {
  cell: string;
  supply: number;
  demand: number;
  /** Closed ring of [lng, lat]. */
  boundary: number[][];
}

export interface SupplyReply {
  institutionId: string;
  resolution: number;
  cells: SupplyCell[];
  totals: { supply: number; demand: number };
}

const REFRESH_MS = 10_000;

/** Shortage (orders without nurses) in red, spare nurses in blue; stronger where the gap is bigger. */
export function hexStyle(c: SupplyCell): L.PathOptions {
  const gap = c.demand - c.supply;
  const colour = gap > 0 ? HEX_COLOURS.shortage : c.supply > 0 && c.demand === 0 ? HEX_COLOURS.surplus : HEX_COLOURS.balanced;
  const strength = Math.min(1, Math.abs(gap) / 5);
  return { color: colour, weight: 1, opacity: 0.7, fillColor: colour, fillOpacity: 0.12 + 0.33 * strength, interactive: false };
}

export function describeCell(c: SupplyCell): string {
  const nurses = `${c.supply} nurse${c.supply === 1 ? '' : 's'} available`;
  const orders = `${c.demand} open order${c.demand === 1 ? '' : 's'}`;
  return `${nurses} · ${orders}`;
}

/**
 * The supply/demand hexagons: per H3 cell (res 7, about 1.2 km across), available
 * eligible nurses of the institution against its orders still waiting for one.
 * Refreshed every 10 s, after the map moves, and when an order changes state.
 */
export function createSupplyLayer(options: { map: L.Map; api: Api; onTotals: (totals: SupplyReply['totals'] | null, error?: string) => void }) {
  const { map, api } = options;
  const pane = map.createPane('supply');
  pane.style.zIndex = '420';
  const group = L.layerGroup().addTo(map);
  let cells: SupplyCell[] = [];
  let visible = true;
  let timer: number | undefined;
  let inFlight = false;
  let again = false;

  async function refresh(): Promise<void> {
    if (!visible) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const reply = await api.get<SupplyReply>('/v1/supply', viewportOf(map));
      cells = reply.cells;
      render();
      options.onTotals(reply.totals);
    } catch (err) {
      options.onTotals(null, (err as Error).message);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  function render(): void {
    group.clearLayers();
    if (!visible) return;
    const labels = map.getZoom() >= 13;
    for (const c of cells) {
      const ring = c.boundary.map(([lng, lat]) => L.latLng(lat!, lng!));
      const polygon = L.polygon(ring, { ...hexStyle(c), pane: 'supply' });
      if (labels) polygon.bindTooltip(`${c.supply} / ${c.demand}`, { permanent: true, direction: 'center', className: 'hex-label', pane: 'supply' });
      group.addLayer(polygon);
    }
  }

  let moveTimer: number | undefined;
  map.on('moveend', () => {
    window.clearTimeout(moveTimer);
    moveTimer = window.setTimeout(() => void refresh(), 300);
  });
  timer = window.setInterval(() => void refresh(), REFRESH_MS);
  void refresh();

  return {
    refresh,
    setVisible(on: boolean): void {
      visible = on;
      if (on) void refresh();
      else group.clearLayers();
    },
    /** The cell under a point, for the click read-out (ray casting on the few cells shown). */
    cellAt(p: L.LatLng): SupplyCell | undefined {
      return cells.find((c) => inside(p.lng, p.lat, c.boundary));
    },
    stop(): void {
      window.clearInterval(timer);
      timer = undefined;
    },
  };
}

function inside(x: number, y: number, ring: number[][]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}
