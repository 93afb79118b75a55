import * as L from 'leaflet';
import type { Alarm } from '@nursing/contracts';

export interface TrailPoint {
  lat: number;
  lng: number;
  atMs: number;
}

/**
 * The desk's map: a red dot at the last known position of every alarming nurse, and
 * for the selected alarm her live trail since the alarm was raised, followed as it grows.
 */
export function createAlarmMap(map: L.Map) {
  const dots = new Map<string, L.CircleMarker>();
  const trail = L.polyline([], { color: '#d8232a', weight: 4, opacity: 0.85, interactive: false }).addTo(map);
  const patient = L.circleMarker([0, 0], { radius: 7, color: '#111', weight: 2, fillColor: '#ffd400', fillOpacity: 1, interactive: false });
  let followed: string | null = null;
  let follow = true;

  function dotFor(alarm: Alarm, at: TrailPoint, selected: boolean): void {
    let dot = dots.get(alarm.alarmId);
    const style = { radius: selected ? 10 : 7, color: '#fff', weight: 3, fillColor: alarm.status === 'open' ? '#d8232a' : '#d99a00', fillOpacity: 1 };
    if (!dot) {
      dot = L.circleMarker([at.lat, at.lng], style).addTo(map);
      dot.bindTooltip(`${alarm.nurseName ?? alarm.nurseId}${alarm.drill ? ' (drill)' : ''}`);
      dots.set(alarm.alarmId, dot);
    } else {
      dot.setLatLng([at.lat, at.lng]);
      dot.setStyle(style);
    }
  }

  return {
    /** Redraws one alarm's dot (and the trail when it is the followed one). */
    update(alarm: Alarm, points: readonly TrailPoint[]): void {
      const last = points[points.length - 1] ?? (alarm.lastPosition ? { lat: alarm.lastPosition.lat, lng: alarm.lastPosition.lng, atMs: alarm.lastPosition.atMs } : undefined);
      if (!last) return;
      dotFor(alarm, last, alarm.alarmId === followed);
      if (alarm.alarmId !== followed) return;
      trail.setLatLngs(points.map((p) => [p.lat, p.lng]));
      if (follow) map.panTo([last.lat, last.lng], { animate: true });
    },
    remove(alarmId: string): void {
      dots.get(alarmId)?.remove();
      dots.delete(alarmId);
      if (followed === alarmId) {
        followed = null;
        trail.setLatLngs([]);
        patient.remove();
      }
    },
    /** Follows an alarm: its trail drawn, the map centred on her as she moves. */
    select(alarm: Alarm, points: readonly TrailPoint[], patientAt?: { lat: number; lng: number }): void {
      followed = alarm.alarmId;
      for (const [id, dot] of dots) dot.setRadius(id === followed ? 10 : 7);
      trail.setLatLngs(points.map((p) => [p.lat, p.lng]));
      const last = points[points.length - 1] ?? alarm.lastPosition;
      if (patientAt) patient.setLatLng([patientAt.lat, patientAt.lng]).addTo(map);
      else patient.remove();
      if (last) {
        dotFor(alarm, { lat: last.lat, lng: last.lng, atMs: last.atMs }, true);
        map.setView([last.lat, last.lng], Math.max(map.getZoom(), 15));
      }
    },
    setFollow(on: boolean): void {
      follow = on;
    },
  };
}
