import destination from '@turf/destination';
import type { LatLng, NurseCreate, OrderCreate } from '@nursing/contracts';

/** People's Square, Shanghai: the centre of the test city. */
export const CENTRE: LatLng = { lat: 31.2304, lng: 121.4737 };

/** A point `meters` from `from` on `bearingDeg` (turf takes [lng, lat]). */
export function offset(from: LatLng, meters: number, bearingDeg = 90): LatLng {
  const [lng, lat] = destination([from.lng, from.lat], meters, bearingDeg, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
}

/** A nurse who meets every rule; tests change one thing at a time. */
export function qualifiedNurse(id: string, institutionId: string, changes: Partial<NurseCreate> = {}): NurseCreate {
  return {
    id,
    institutionId,
    name: `Nurse ${id}`,
    registrationNumber: `REG-${id.replace(/[^A-Za-z0-9]/g, '').padEnd(6, '0')}`,
    title: 'supervisor_nurse',
    yearsExperience: 8,
    certifications: [
      { code: 'picc', expiresOn: '2030-12-31' },
      { code: 'peritoneal_dialysis', expiresOn: '2030-12-31' },
    ],
    specialtyGroups: ['catheters'],
    homeServiceTrained: true,
    suspended: false,
    ...changes,
  };
}

export function orderBody(location: LatLng, changes: Partial<OrderCreate> = {}): OrderCreate {
  const start = Date.now() + 3_600_000;
  return {
    patient: { id: 'p-1', name: 'Wang Fang', phone: '13800138000', address: '88 Century Avenue, Pudong', location },
    itemCode: 'picc_maintenance',
    mode: 'push',
    assessment: { doctorName: 'Dr Li', assessedAt: new Date().toISOString() },
    consent: { recordId: 'consent-1', signedAt: new Date().toISOString(), signedBy: 'Wang Fang' },
    window: { startAt: new Date(start).toISOString(), endAt: new Date(start + 7_200_000).toISOString() },
    ...changes,
  };
}
