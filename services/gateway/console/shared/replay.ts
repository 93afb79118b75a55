import * as L from 'leaflet';
import type { OrderTrack } from '@nursing/contracts';
import { fill, h } from './dom.ts';
import { clockSeconds, duration } from './format.ts';

const SPEEDS = [10, 60, 300] as const;

/**
 * Plays back a visit's trail (GET /v1/orders/{id}/track) on the map: the whole route
 * faint, the part travelled so far bold, a dot at the nurse's position at the replay
 * clock. Controls: play/pause, speed, and a slider to jump in time.
 */
export function createReplay(map: L.Map, track: OrderTrack, onClose: () => void): { el: HTMLElement; close(): void } {
  const coords = track.geometry.coordinates.map(([lng, lat]) => L.latLng(lat!, lng!));
  const times = track.properties.timestamps;
  const box = h('div', { class: 'replay', role: 'group', 'aria-label': `Replay of order ${track.properties.orderId}` });
  if (coords.length < 2 || times.length !== coords.length) {
    const close = () => {
      box.remove();
      onClose();
    };
    fill(box, h('p', {}, 'No trail recorded for this visit (the nurse reported no positions between acceptance and completion).'), h('button', { type: 'button', class: 'small', onclick: close }, 'Close'));
    return { el: box, close };
  }
  const startMs = times[0]!;
  const endMs = times[times.length - 1]!;
  const whole = L.polyline(coords, { color: '#2f67d8', weight: 3, opacity: 0.35, interactive: false }).addTo(map);
  const done = L.polyline([], { color: '#2f67d8', weight: 5, opacity: 0.9, interactive: false }).addTo(map);
  const dot = L.circleMarker(coords[0]!, { radius: 8, color: '#fff', weight: 3, fillColor: '#2f67d8', fillOpacity: 1, interactive: false }).addTo(map);
  map.fitBounds(whole.getBounds(), { padding: [40, 40] });

  let clockMs = startMs;
  let playing = true;
  let speed: number = SPEEDS[1];
  let last: number | undefined;
  let raf = 0;

  const slider = h('input', { type: 'range', min: 0, max: endMs - startMs, value: 0, 'aria-label': 'Replay position' });
  const label = h('span', { class: 'replay-time', 'aria-live': 'off' });
  const playButton = h('button', { type: 'button', class: 'small' }, 'Pause');
  const speedSelect = h('select', { 'aria-label': 'Replay speed' }, ...SPEEDS.map((s) => h('option', { value: s, selected: s === speed }, `${s}×`)));

  function position(t: number): { at: L.LatLng; index: number } {
    let i = 0;
    while (i < times.length - 1 && times[i + 1]! <= t) i++;
    if (i >= times.length - 1) return { at: coords[coords.length - 1]!, index: coords.length - 1 };
    const f = (t - times[i]!) / Math.max(1, times[i + 1]! - times[i]!);
    const a = coords[i]!;
    const b = coords[i + 1]!;
    return { at: L.latLng(a.lat + (b.lat - a.lat) * f, a.lng + (b.lng - a.lng) * f), index: i };
  }

  function show(): void {
    const { at, index } = position(clockMs);
    dot.setLatLng(at);
    done.setLatLngs([...coords.slice(0, index + 1), at]);
    slider.value = String(clockMs - startMs);
    fill(label, `${clockSeconds(clockMs)} · ${duration(clockMs - startMs)} of ${duration(endMs - startMs)}`);
  }

  function tick(t: number): void {
    if (last !== undefined && playing) clockMs = Math.min(endMs, clockMs + (t - last) * speed);
    last = t;
    show();
    if (clockMs >= endMs) {
      playing = false;
      fill(playButton, 'Play again');
    }
    raf = requestAnimationFrame(tick);
  }

  playButton.addEventListener('click', () => {
    if (clockMs >= endMs) clockMs = startMs;
    playing = !playing;
    fill(playButton, playing ? 'Pause' : 'Play');
  });
  speedSelect.addEventListener('change', () => (speed = Number(speedSelect.value)));
  slider.addEventListener('input', () => (clockMs = startMs + Number(slider.value)));

  const close = () => {
    cancelAnimationFrame(raf);
    whole.remove();
    done.remove();
    dot.remove();
    box.remove();
    onClose();
  };
  fill(
    box,
    h('strong', {}, `Replay of ${track.properties.orderId}`),
    h('div', { class: 'button-row' }, playButton, speedSelect, h('button', { type: 'button', class: 'small', onclick: close }, 'Close replay')),
    slider,
    label,
  );
  raf = requestAnimationFrame(tick);
  return { el: box, close };
}
