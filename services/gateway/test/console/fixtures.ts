import type { NurseCreate, OrderCreate } from '@nursing/contracts';
import { openSocket, type TestSocket } from '../harness.ts';
import type { ConsoleStack } from './console-stack.ts';

/** People's Square, Shanghai. */
export const CENTRE = { lat: 31.2304, lng: 121.4737 };

/** A point `meters` north of `p` (1 degree of latitude is ~111.2 km). */
export function north(p: { lat: number; lng: number }, meters: number): { lat: number; lng: number } {
  return { lat: p.lat + meters / 111_195, lng: p.lng };
}

/** A nurse who meets every rule of DOMAIN.md; tests change one thing at a time. */
export function qualifiedNurse(id: string, institutionId: string, changes: Partial<NurseCreate> = {}): NurseCreate {
  return {
    id,
    institutionId,
    name: `Nurse ${id}`,
    registrationNumber: `REG-${id.replace(/[^A-Za-z0-9]/g, '').padEnd(6, '0')}`,
    title: 'supervisor_nurse',
    yearsExperience: 8,
    certifications: [{ code: 'picc', expiresOn: '2030-12-31' }],
    specialtyGroups: ['catheters'],
    homeServiceTrained: true,
    suspended: false,
    ...changes,
  };
}

export async function seedInstitution(stack: ConsoleStack, id: string, name = 'Pudong Community Health Centre'): Promise<void> {
  await stack.call('POST', '/v1/institutions', stack.tokens.admin(), { id, name, kind: 'community_health_centre', location: CENTRE });
}

export async function registerNurse(stack: ConsoleStack, nurse: NurseCreate): Promise<void> {
  await stack.call('POST', '/v1/nurses', stack.tokens.admin(), nurse);
}

/** A nurse app: her socket, online and available at `at`, with the fix stamped `ageMs` ago. */
export async function nurseOnline(stack: ConsoleStack, id: string, institutionId: string, at: { lat: number; lng: number }, ageMs = 0): Promise<TestSocket> {
  const socket = await openSocket(`${stack.wsUrl}/ws/nurse`, stack.tokens.nurse(id, institutionId));
  socket.send({ type: 'status', id: 's1', status: 'available' });
  await socket.next((f) => f.type === 'ack' && f['id'] === 's1', 10_000);
  await report(socket, at, Date.now() - ageMs, 'l0');
  return socket;
}

/** Sends a position and waits for the gateway's ack. */
export async function report(socket: TestSocket, at: { lat: number; lng: number }, atMs: number, id: string): Promise<void> {
  socket.send({ type: 'location', id, lat: at.lat, lng: at.lng, atMs, accuracyM: 8 });
  await socket.next((f) => f['id'] === id && (f.type === 'ack' || f.type === 'error'), 10_000).then((f) => {
    if (f.type === 'error') throw new Error(`location refused: ${JSON.stringify(f)}`);
  });
}

/** A complete order body (assessment and consent present) at `location`. */
export function orderBody(location: { lat: number; lng: number }, changes: Partial<OrderCreate> = {}): OrderCreate {
  const start = Date.now() + 3_600_000;
  return {
    patient: { id: 'p-1', name: 'Wang Fang', phone: '13800138000', address: '88 Century Avenue, Pudong', location },
    itemCode: 'vital_signs_monitoring',
    mode: 'push',
    assessment: { doctorName: 'Dr Li', assessedAt: new Date().toISOString() },
    consent: { recordId: 'consent-1', signedAt: new Date().toISOString(), signedBy: 'Wang Fang' },
    window: { startAt: new Date(start).toISOString(), endAt: new Date(start + 7_200_000).toISOString() },
    ...changes,
  };
}
