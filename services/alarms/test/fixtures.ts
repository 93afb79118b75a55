import type { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import { positionShardOf, type RedisKeys } from '@nursing/contracts';

export const INST = 'inst-a';
export const OTHER_INST = 'inst-b';
export const PATIENT_ADDRESS = '88 Century Avenue, Pudong, flat 1203';

/** A nurse's profile as the registry stores it (the alarms service reads only her name). */
export async function seedNurse(redis: Redis, keys: RedisKeys, id: string, institutionId = INST): Promise<void> {
  await redis.set(keys.nurse(id), JSON.stringify({ id, institutionId, name: `Nurse ${id}` }));
}

/** Her latest position and trail, as the gateway's presence store writes them. */
export async function seedPosition(redis: Redis, keys: RedisKeys, nurseId: string, p: { lat: number; lng: number; atMs: number }): Promise<void> {
  const json = JSON.stringify({ nurseId, ...p });
  await redis.hset(keys.positions(positionShardOf(nurseId)), nurseId, json);
  await redis.lpush(keys.trail(nurseId), json);
}

/** An order she is serving, as dispatch's order store keeps it, with the patient apart. */
export async function seedVisit(
  redis: Redis,
  keys: RedisKeys,
  v: { orderId: string; nurseId: string; state?: string; itemCode?: string; institutionId?: string },
): Promise<void> {
  const institutionId = v.institutionId ?? INST;
  const doc = { id: v.orderId, institutionId, createdBy: 'coord', itemCode: v.itemCode ?? 'vital_signs_monitoring', mode: 'push', location: { lat: 31.23, lng: 121.47 } };
  await redis.hset(keys.order(v.orderId), { doc: JSON.stringify(doc), state: v.state ?? 'accepted', assignedNurseId: v.nurseId, updatedAt: new Date().toISOString(), attempts: '1' });
  await redis.set(keys.orderPatient(v.orderId), JSON.stringify({ id: 'p1', name: 'Patient P', phone: '13800000000', address: PATIENT_ADDRESS, location: { lat: 31.23, lng: 121.47 } }));
  await redis.set(keys.activeOrder(v.nurseId), v.orderId);
}

/** An order event as dispatch publishes it. */
export function publishOrderEvent(
  nc: NatsConnection,
  subject: string,
  o: { orderId: string; nurseId: string; state: string; at?: string; itemCode?: string; institutionId?: string },
): void {
  const now = new Date().toISOString();
  const order = {
    id: o.orderId,
    institutionId: o.institutionId ?? INST,
    createdBy: 'coord',
    itemCode: o.itemCode ?? 'vital_signs_monitoring',
    mode: 'push',
    state: o.state,
    location: { lat: 31.23, lng: 121.47 },
    window: { startAt: now, endAt: now },
    feeYuan: 80,
    createdAt: now,
    updatedAt: now,
    attempts: 1,
    assignedNurseId: o.nurseId,
  };
  nc.publish(subject, JSON.stringify({ type: 'order.event', event: o.state, order, nurseId: o.nurseId, at: o.at ?? now }));
}
