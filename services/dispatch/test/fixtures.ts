import destination from '@turf/destination';
import type { LatLng } from '@nursing/contracts';

/** People's Square, Shanghai: the centre of the test city. */
export const CENTRE: LatLng = { lat: 31.2304, lng: 121.4737 };

/** A point `meters` from `from` on `bearingDeg` (turf takes [lng, lat]). */
export function offset(from: LatLng, meters: number, bearingDeg = 90): LatLng {
  const [lng, lat] = destination([from.lng, from.lat], meters, bearingDeg, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
}

/** The shared domain fixtures: a fully qualified nurse and a complete push order. */
export { orderBody, qualifiedNurse } from '@nursing/testing';
