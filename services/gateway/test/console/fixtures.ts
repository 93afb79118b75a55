import type { NurseCreate, OrderCreate } from '@nursing/contracts';
import { orderBody as sharedOrder, qualifiedNurse as sharedNurse } from '@nursing/testing';
import { openSocket, type TestSocket } from '../harness.ts';
import type { ConsoleStack } from './console-stack.ts';

/** People's Square, Shanghai. */
export const CENTRE = { lat: 31.2304, lng: 121.4737 };

/** A point `meters` north of `p` (1 degree of latitude is ~111.2 km). */
export function north(p: { lat: number; lng: number }, meters: number): { lat: number; lng: number } {
  return { lat: p.lat + meters / 111_195, lng: p.lng };
}

/** A qualified nurse holding PICC only (the shared fixture, with one certificate). */
export function qualifiedNurse(id: string, institutionId: string, changes: Partial<NurseCreate> = {}): NurseCreate {
  return sharedNurse(id, institutionId, { certifications: [{ code: 'picc', expiresOn: '2030-12-31' }], ...changes });
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

/** A complete order body (assessment and consent present) at `location`, for vital-signs monitoring. */
export function orderBody(location: { lat: number; lng: number }, changes: Partial<OrderCreate> = {}): OrderCreate {
  return sharedOrder(location, { itemCode: 'vital_signs_monitoring', ...changes });
}
