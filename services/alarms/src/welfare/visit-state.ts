import type { Redis } from 'ioredis';
import type { OrderState, RedisKeys } from '@nursing/contracts';

/** The parts of an order the welfare timer needs, read from dispatch's order hash. */
export interface Visit {
  orderId: string;
  institutionId: string;
  itemCode: string;
  state: OrderState;
  assignedNurseId?: string;
}

/** States in which the nurse is inside the patient's home. */
export const AT_PATIENT_STATES: readonly OrderState[] = ['arrived', 'in_service'];

export async function readVisit(redis: Redis, keys: RedisKeys, orderId: string): Promise<Visit | undefined> {
  const [doc, state, assignedNurseId] = await redis.hmget(keys.order(orderId), 'doc', 'state', 'assignedNurseId');
  if (!doc || !state) return undefined;
  const parsed = JSON.parse(doc) as { institutionId?: string; itemCode?: string };
  if (!parsed.institutionId || !parsed.itemCode) return undefined;
  const visit: Visit = { orderId, institutionId: parsed.institutionId, itemCode: parsed.itemCode, state: state as OrderState };
  if (assignedNurseId) visit.assignedNurseId = assignedNurseId;
  return visit;
}
