import * as L from 'leaflet';
import type { PageConfig } from './page-config.ts';

/** People's Square, Shanghai: where the map opens before it knows better. */
export const DEFAULT_CENTER: L.LatLngExpression = [31.2304, 121.4737];

/**
 * A Leaflet map with the configured tiles, or none. Everything the pages draw is on
 * their own layers, so with no tile URL, or offline, the plain background still shows
 * every nurse, order and hexagon; a note says the tiles are missing.
 */
export function createBaseMap(el: HTMLElement, config: PageConfig, notice: (text: string | null) => void): L.Map {
  const map = L.map(el, { center: DEFAULT_CENTER, zoom: 12, zoomControl: true, preferCanvas: false, worldCopyJump: false });
  L.control.scale({ imperial: false }).addTo(map);
  if (!config.tileUrl) {
    el.classList.add('no-tiles');
    return map;
  }
  const tiles = L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.tileAttribution, crossOrigin: true });
  let failures = 0;
  let loaded = 0;
  tiles.on('tileerror', () => {
    failures++;
    if (failures >= 4 && loaded === 0) {
      el.classList.add('no-tiles');
      notice('Map tiles are unavailable (offline?): showing a plain background.');
    }
  });
  tiles.on('tileload', () => {
    loaded++;
    if (el.classList.contains('no-tiles')) {
      el.classList.remove('no-tiles');
      notice(null);
    }
  });
  tiles.addTo(map);
  return map;
}

/** The map's viewport as the gateway's `viewport` frame and the supply query want it. */
export function viewportOf(map: L.Map): { west: number; south: number; east: number; north: number } {
  const b = map.getBounds();
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    west: clamp(b.getWest(), -180, 180),
    south: clamp(b.getSouth(), -90, 90),
    east: clamp(b.getEast(), -180, 180),
    north: clamp(b.getNorth(), -90, 90),
  };
}
