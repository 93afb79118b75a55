import http from 'k6/http';
import { BASE_URL, CENTRE, PREFIX } from './env.ts';
import { signToken } from './jwt.ts';

export function headers(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

export interface Fleet {
  institutionId: string;
  nurseIds: string[];
}

/** Registers one institution and `count` qualified nurses (409: already there from a previous run). */
export function registerFleet(secret: string, count: number): Fleet {
  const admin = headers(signToken({ sub: `${PREFIX}-admin`, role: 'admin' }, secret));
  const institutionId = `${PREFIX}-inst`;
  http.post(`${BASE_URL}/v1/institutions`, JSON.stringify({ id: institutionId, name: 'k6 Community Health Centre', kind: 'community_health_centre', location: CENTRE }), admin);
  const nurseIds: string[] = [];
  const requests: ['POST', string, string, { headers: Record<string, string> }][] = [];
  for (let i = 0; i < count; i++) {
    const id = `${PREFIX}-n${i}`;
    nurseIds.push(id);
    const nurse = {
      id,
      institutionId,
      name: `k6 Nurse ${i}`,
      registrationNumber: `K6REG${String(i).padStart(6, '0')}`,
      title: 'supervisor_nurse',
      yearsExperience: 8,
      certifications: [],
      specialtyGroups: ['wounds'],
      homeServiceTrained: true,
      suspended: false,
    };
    requests.push(['POST', `${BASE_URL}/v1/nurses`, JSON.stringify(nurse), admin]);
  }
  for (let i = 0; i < requests.length; i += 50) http.batch(requests.slice(i, i + 50));
  return { institutionId, nurseIds };
}

/** A point `north`/`east` metres from the centre. */
export function near(north: number, east: number): { lat: number; lng: number } {
  return { lat: CENTRE.lat + north / 111_195, lng: CENTRE.lng + east / (111_195 * Math.cos((CENTRE.lat * Math.PI) / 180)) };
}

/** A valid order body (assessment and consent present, a catalogue item, a window soon). */
export function orderBody(mode: 'push' | 'grab', location: { lat: number; lng: number }): string {
  const start = Date.now() + 3_600_000;
  const now = new Date().toISOString();
  return JSON.stringify({
    patient: { id: `k6-p-${__VU}-${__ITER}`, name: 'Load Test', phone: '13800000000', address: '1 Load Test Road', location },
    itemCode: 'vital_signs_monitoring',
    mode,
    assessment: { doctorName: 'Dr K6', assessedAt: now },
    consent: { recordId: `k6-consent-${__VU}-${__ITER}`, signedAt: now, signedBy: 'Load Test' },
    window: { startAt: new Date(start).toISOString(), endAt: new Date(start + 7_200_000).toISOString() },
  });
}
