/**
 * Every nurse on the map in typed arrays, so 10,000 moving markers cost a few
 * arithmetic passes per frame instead of 10,000 objects. Positions are kept in
 * normalised Web Mercator (0..1 across the world), the projection Leaflet uses, so
 * drawing is one multiply-add per axis at any zoom. A new position does not jump:
 * the marker glides from where it is drawn to the new fix over TWEEN_MS.
 */

/** Marker colours the legend explains; `effective` picks one per nurse. */
export const MARKER_KINDS = ['unknown', 'available', 'busy', 'visit', 'offline', 'alarm', 'other'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];
export const KIND = Object.fromEntries(MARKER_KINDS.map((k, i) => [k, i])) as Record<MarkerKind, number>;

export type Availability = 'available' | 'busy' | 'offline';

export const TWEEN_MS = 1000;

export function mercatorX(lng: number): number {
  return lng / 360 + 0.5;
}
export function mercatorY(lat: number): number {
  const clamped = Math.max(-85.0511287798, Math.min(85.0511287798, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

export class NurseStore {
  count = 0;
  ids: string[] = [];
  private readonly indexOf = new Map<string, number>();
  fromX = new Float64Array(1024);
  fromY = new Float64Array(1024);
  toX = new Float64Array(1024);
  toY = new Float64Array(1024);
  tweenStart = new Float64Array(1024);
  lat = new Float64Array(1024);
  lng = new Float64Array(1024);
  atMs = new Float64Array(1024);
  /** Availability from the roster, or `other` for anonymous nurses of other institutions. */
  base = new Uint8Array(1024);
  onVisit = new Uint8Array(1024);
  alarm = new Uint8Array(1024);
  /** Bumped on every change that needs a redraw even when nothing glides. */
  version = 0;
  private lastMoveMs = 0;
  private readonly pendingBase = new Map<string, number>();

  private grow(): void {
    const size = this.fromX.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    this.fromX = f64(this.fromX);
    this.fromY = f64(this.fromY);
    this.toX = f64(this.toX);
    this.toY = f64(this.toY);
    this.tweenStart = f64(this.tweenStart);
    this.lat = f64(this.lat);
    this.lng = f64(this.lng);
    this.atMs = f64(this.atMs);
    this.base = u8(this.base);
    this.onVisit = u8(this.onVisit);
    this.alarm = u8(this.alarm);
  }

  index(id: string): number | undefined {
    return this.indexOf.get(id);
  }

  /** Applies a position; older fixes than the one shown are ignored (frames can cross). */
  upsert(id: string, lat: number, lng: number, atMs: number, nowMs: number): void {
    let i = this.indexOf.get(id);
    const x = mercatorX(lng);
    const y = mercatorY(lat);
    if (i === undefined) {
      if (this.count === this.fromX.length) this.grow();
      i = this.count++;
      this.ids[i] = id;
      this.indexOf.set(id, i);
      this.fromX[i] = this.toX[i] = x;
      this.fromY[i] = this.toY[i] = y;
      this.tweenStart[i] = 0;
      this.base[i] = this.pendingBase.get(id) ?? (id.startsWith('anon-') ? KIND.other : KIND.unknown);
      this.onVisit[i] = 0;
      this.alarm[i] = this.alarming.has(id) ? 1 : 0;
    } else {
      if (atMs < this.atMs[i]!) return;
      // Glide from wherever the marker is drawn now.
      const t = this.progress(i, nowMs);
      this.fromX[i] = this.fromX[i]! + (this.toX[i]! - this.fromX[i]!) * t;
      this.fromY[i] = this.fromY[i]! + (this.toY[i]! - this.fromY[i]!) * t;
      this.toX[i] = x;
      this.toY[i] = y;
      this.tweenStart[i] = nowMs;
      this.lastMoveMs = nowMs;
    }
    this.lat[i] = lat;
    this.lng[i] = lng;
    this.atMs[i] = atMs;
    this.version++;
  }

  /** 0..1 along the current glide. */
  progress(i: number, nowMs: number): number {
    const t = (nowMs - this.tweenStart[i]!) / TWEEN_MS;
    return t >= 1 ? 1 : t <= 0 ? 0 : t;
  }

  /** True while any marker is still gliding (the layer keeps redrawing until none is). */
  gliding(nowMs: number): boolean {
    return nowMs - this.lastMoveMs < TWEEN_MS;
  }

  setAvailability(id: string, status: Availability): void {
    const kind = KIND[status];
    this.pendingBase.set(id, kind);
    const i = this.indexOf.get(id);
    if (i !== undefined && this.base[i] !== kind) {
      this.base[i] = kind;
      this.version++;
    }
  }

  setOnVisit(id: string, on: boolean): void {
    const i = this.indexOf.get(id);
    if (i !== undefined && this.onVisit[i] !== Number(on)) {
      this.onVisit[i] = on ? 1 : 0;
      this.version++;
    }
  }

  /** Nurses with an open alarm, kept by id so one raised before her first position still shows. */
  private readonly alarming = new Set<string>();

  get alarmCount(): number {
    return this.alarming.size;
  }

  setAlarm(id: string, on: boolean): void {
    if (on) this.alarming.add(id);
    else this.alarming.delete(id);
    const i = this.indexOf.get(id);
    if (i !== undefined && this.alarm[i] !== Number(on)) {
      this.alarm[i] = on ? 1 : 0;
      this.version++;
    }
  }

  /** The colour a marker gets: an alarm beats a visit, a visit beats the roster status. */
  kind(i: number): number {
    if (this.alarm[i]) return KIND.alarm;
    if (this.onVisit[i]) return KIND.visit;
    return this.base[i]!;
  }

  kindOf(id: string): MarkerKind | undefined {
    const i = this.indexOf.get(id);
    return i === undefined ? undefined : MARKER_KINDS[this.kind(i)];
  }
}
