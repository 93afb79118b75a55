import type { NurseSnapshot } from './live-protocol.ts';
import { MARKER_KINDS, type MarkerKind } from './nurse-store.ts';

/**
 * The page's read-only copy of the nurses the live-layer worker holds (see
 * live-worker.ts), as of the bitmap on screen: what clicks hit-test and the panels
 * read. Replaced wholesale with each bitmap, which costs the page nothing (the
 * arrays are transferred, not copied).
 */
export class NurseMirror {
  count = 0;
  readonly ids: string[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Where each dot is drawn, normalised Web Mercator. */
  x: Float64Array = new Float64Array(0);
  y: Float64Array = new Float64Array(0);
  lat: Float64Array = new Float64Array(0);
  lng: Float64Array = new Float64Array(0);
  atMs: Float64Array = new Float64Array(0);
  kind: Uint8Array = new Uint8Array(0);

  apply(s: NurseSnapshot): void {
    for (const id of s.newIds) {
      this.indexOf.set(id, this.ids.length);
      this.ids.push(id);
    }
    this.count = s.count;
    this.x = s.x;
    this.y = s.y;
    this.lat = s.lat;
    this.lng = s.lng;
    this.atMs = s.atMs;
    this.kind = s.kind;
  }

  index(id: string): number | undefined {
    return this.indexOf.get(id);
  }

  kindOf(id: string): MarkerKind | undefined {
    const i = this.indexOf.get(id);
    return i === undefined ? undefined : MARKER_KINDS[this.kind[i]!];
  }
}
