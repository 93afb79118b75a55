import type { Redis } from 'ioredis';
import type { LatLng, OrderState, RedisKeys } from '@nursing/contracts';

export interface ActiveOrder {
  orderId: string;
  location: LatLng;
  state: OrderState;
}

/**
 * The order a nurse is serving now and where it is, read from dispatch's Redis keys:
 * `activeOrder(nurseId)` -> order id, the order hash's `doc` JSON (location) and
 * `state` field (the doc's state when the field is absent).
 */
export async function loadActiveOrder(redis: Redis, keys: RedisKeys, nurseId: string): Promise<ActiveOrder | null> {
  const orderId = await redis.get(keys.activeOrder(nurseId));
  if (!orderId) return null;
  const [doc, state] = await redis.hmget(keys.order(orderId), 'doc', 'state');
  if (!doc) return null;
  const parsed = JSON.parse(doc) as { location?: LatLng; state?: OrderState };
  const orderState = (state ?? parsed.state) as OrderState | undefined;
  if (!parsed.location || !orderState) return null;
  return { orderId, location: parsed.location, state: orderState };
}
