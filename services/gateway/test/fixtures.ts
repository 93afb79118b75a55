import type { Redis } from 'ioredis';
import type { Order, RedisKeys } from '@nursing/contracts';

/** Central Shanghai, and the map box around it the tests use. */
export const PEOPLES_SQUARE = { lat: 31.2304, lng: 121.4737 };
export const CITY_BOX = { west: 121.4, south: 31.2, east: 121.5, north: 31.3 };

/** A position `meters` north of `p` (1 degree of latitude is ~111.2 km). */
export function north(p: { lat: number; lng: number }, meters: number): { lat: number; lng: number } {
  return { lat: p.lat + meters / 111_195, lng: p.lng };
}

/** A nurse's profile as the registry stores it; the gateway reads only her institution. */
export async function seedNurse(redis: Redis, keys: RedisKeys, id: string, institutionId: string): Promise<void> {
  await redis.set(keys.nurse(id), JSON.stringify({ id, institutionId, name: `Nurse ${id}` }));
}

export function orderFixture(overrides: Partial<Order> = {}): Order {
  const now = new Date().toISOString();
  return {
    id: 'o-1',
    institutionId: 'inst-a',
    createdBy: 'coord-inst-a',
    itemCode: 'INJ-01',
    mode: 'push',
    state: 'accepted',
    location: PEOPLES_SQUARE,
    window: { startAt: now, endAt: now },
    feeYuan: 120,
    createdAt: now,
    updatedAt: now,
    attempts: 1,
    ...overrides,
  };
}

/** An order hash as dispatch's order store writes it: immutable `doc` plus mutable fields. */
export async function seedOrder(redis: Redis, keys: RedisKeys, order: Order): Promise<void> {
  const { state, updatedAt, attempts, acceptedAt, completedAt, assignedNurseId, ...doc } = order;
  const fields: Record<string, string> = { doc: JSON.stringify(doc), state, updatedAt, attempts: String(attempts) };
  if (acceptedAt) fields['acceptedAt'] = acceptedAt;
  if (completedAt) fields['completedAt'] = completedAt;
  if (assignedNurseId) fields['assignedNurseId'] = assignedNurseId;
  await redis.hset(keys.order(order.id), fields);
}
