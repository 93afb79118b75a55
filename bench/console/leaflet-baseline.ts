import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

// Page-side code as plain JavaScript text: handing page.evaluate a TypeScript function
// would carry the transpiler's helpers (e.g. __name) into a page that lacks them.
const PAGE_SCRIPT = `
window.__runBaseline = ({ markers, seconds, warmupSeconds }) => new Promise((resolve) => {
  const map = L.map('map', { preferCanvas: true }).setView([31.2304, 121.4737], 12);
  const renderer = L.canvas();
  const lat = new Float64Array(markers), lng = new Float64Array(markers), list = [];
  for (let i = 0; i < markers; i++) {
    lat[i] = 31.2304 + (Math.random() * 2 - 1) * 0.054;
    lng[i] = 121.4737 + (Math.random() * 2 - 1) * 0.063;
    list.push(L.circleMarker([lat[i], lng[i]], { renderer, radius: 4.5, weight: 1, color: '#fff', fillColor: '#12946b', fillOpacity: 1 }).addTo(map));
  }
  // Same feed shape as the gateway's: a batch every 100 ms (MAP_FLUSH_MS), each nurse once a second.
  const queue = [];
  const perBatch = Math.ceil(markers * 0.1);
  let next = 0;
  setInterval(() => {
    const batch = [];
    for (let k = 0; k < perBatch; k++) batch.push(next++ % markers);
    queue.push(batch);
  }, 100);
  const deltas = [];
  let last;
  const started = performance.now();
  function frame(t) {
    for (const batch of queue) for (const i of batch) {
      lat[i] += (Math.random() - 0.5) * 0.0002;
      lng[i] += (Math.random() - 0.5) * 0.0002;
      list[i].setLatLng([lat[i], lng[i]]);
    }
    queue.length = 0;
    if (last !== undefined && t - started > warmupSeconds * 1000) deltas.push(t - last);
    last = t;
    if (t - started < (warmupSeconds + seconds) * 1000) requestAnimationFrame(frame);
    else resolve(deltas);
  }
  requestAnimationFrame(frame);
});
`;

/**
 * The baseline: the same number of markers with the same update rate, drawn the way a
 * Leaflet map usually is, one `L.circleMarker` per nurse on Leaflet's canvas renderer,
 * each update a `setLatLng` (applied in batches per animation frame, like ours). The
 * updates are generated in the page (no socket): this side measures rendering only,
 * which flatters it. Returns the page's requestAnimationFrame intervals.
 */
export async function runLeafletBaseline(page: Page, options: { markers: number; seconds: number; warmupSeconds: number }): Promise<number[]> {
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0"><div id="map" style="position:absolute;inset:0"></div></body></html>');
  await page.addStyleTag({ path: require.resolve('leaflet/dist/leaflet.css') });
  await page.addScriptTag({ path: require.resolve('leaflet/dist/leaflet.js') });
  await page.addScriptTag({ content: PAGE_SCRIPT });
  return page.evaluate(`window.__runBaseline(${JSON.stringify(options)})`) as Promise<number[]>;
}
