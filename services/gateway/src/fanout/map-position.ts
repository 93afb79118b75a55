import type { Availability, MapPosition, NursePosition } from '@nursing/contracts';
import type { BBox } from '@nursing/geo';
import { anonymousId } from './anon-id.ts';

/** Inclusive box test in degrees (boxes never cross the antimeridian, see assertValidBBox). */
export function inBox(p: { lat: number; lng: number }, box: BBox): boolean {
  return p.lat >= box.south && p.lat <= box.north && p.lng >= box.west && p.lng <= box.east;
}

/**
 * What one viewer may see of a position: the nurse's id for her own institution's
 * coordinators (and admins, `viewerInstitution` null), an anonymous id otherwise.
 */
export function toMapPosition(
  p: NursePosition,
  nurseInstitution: string | null,
  viewerInstitution: string | null,
  status?: Availability,
): MapPosition {
  const visible = viewerInstitution === null || nurseInstitution === viewerInstitution;
  const position: MapPosition = {
    nurseId: visible ? p.nurseId : anonymousId(p.nurseId, viewerInstitution),
    lat: p.lat,
    lng: p.lng,
    atMs: p.atMs,
  };
  if (status !== undefined) position.status = status;
  return position;
}

/**
 * A MapPosition as JSON text in two parts, for maps fed thousands of positions per
 * frame: the tail (everything after the id) is the same for every viewer and is built
 * once per change; the head (the id, real or anonymous) depends only on who looks and
 * can be kept per nurse. head + tail is the same text as
 * JSON.stringify(toMapPosition(...)) (tested).
 */
export function mapPositionTail(p: NursePosition, status?: Availability): string {
  return `,"lat":${p.lat},"lng":${p.lng},"atMs":${p.atMs}${status === undefined ? '' : `,"status":"${status}"`}}`;
}

export function mapPositionHead(nurseId: string, nurseInstitution: string | null, viewerInstitution: string | null): string {
  const visible = viewerInstitution === null || nurseInstitution === viewerInstitution;
  return `{"nurseId":${JSON.stringify(visible ? nurseId : anonymousId(nurseId, viewerInstitution))}`;
}
