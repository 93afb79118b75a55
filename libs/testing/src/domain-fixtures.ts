import type { NurseCreate, OrderCreate } from '@nursing/contracts';

/** A nurse who meets every rule of DOMAIN.md; tests change one thing at a time. */
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

/** A complete push order (assessment and consent present) at `location`, due in an hour. */
export function orderBody(location: { lat: number; lng: number }, changes: Partial<OrderCreate> = {}): OrderCreate {
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
