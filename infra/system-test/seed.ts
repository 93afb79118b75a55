import { expect } from 'vitest';
import type { SystemApp } from './system-app.ts';

export const SEED = {
  institution: 'inst-fuzz',
  otherInstitution: 'inst-fuzz-other',
  nurse: 'n-fuzz',
  centre: { lat: 31.2304, lng: 121.4737 },
} as const;

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** A little of everything, so fuzzed requests hit real objects as well as missing ones. */
export async function seedSystem(t: SystemApp): Promise<{ orderId: string }> {
  const admin = auth(t.tokens.admin());
  for (const id of [SEED.institution, SEED.otherInstitution]) {
    const r = await t.app.inject({ method: 'POST', url: '/v1/institutions', headers: admin, payload: { id, name: `Centre ${id}`, kind: 'community_health_centre', location: SEED.centre } });
    expect(r.statusCode, r.body).toBe(201);
  }
  const nurse = await t.app.inject({
    method: 'POST',
    url: '/v1/nurses',
    headers: admin,
    payload: {
      id: SEED.nurse,
      institutionId: SEED.institution,
      name: 'Li Na',
      registrationNumber: 'REG20260001',
      title: 'supervisor_nurse',
      yearsExperience: 9,
      certifications: [{ code: 'picc', expiresOn: '2030-12-31' }],
      specialtyGroups: ['oncology'],
      homeServiceTrained: true,
      suspended: false,
    },
  });
  expect(nurse.statusCode, nurse.body).toBe(201);
  const now = Date.now();
  const order = await t.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: auth(t.tokens.coordinator(SEED.institution)),
    payload: {
      patient: { id: 'p-fuzz', name: 'Wang Fang', phone: '13800138000', address: '88 Century Avenue, Pudong', location: SEED.centre },
      itemCode: 'picc_maintenance',
      mode: 'push',
      assessment: { doctorName: 'Dr Zhou', assessedAt: new Date(now - 86_400_000).toISOString() },
      consent: { recordId: 'c-1', signedAt: new Date(now - 3_600_000).toISOString(), signedBy: 'Wang Fang' },
      window: { startAt: new Date(now + 3_600_000).toISOString(), endAt: new Date(now + 7_200_000).toISOString() },
    },
  });
  expect(order.statusCode, order.body).toBe(201);
  return { orderId: order.json().id as string };
}
