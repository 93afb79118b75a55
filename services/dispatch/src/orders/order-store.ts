import type { Redis, Result } from 'ioredis';
import { ConflictError, type Order, type OrderState, type Patient, type RedisKeys } from '@nursing/contracts';
import { ORDER_TRANSITION_LUA } from './order-transition-script.ts';
import { ORDER_CREATE_LUA } from './order-create-script.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    orderTransition(...args: (string | number)[]): Result<[string, string], Context>;
    orderCreate(orderKey: string, patientKey: string, doc: string, state: string, updatedAt: string, patient: string): Result<number, Context>;
  }
}

/** The parts of an order that never change after creation, stored as one JSON field. */
type OrderDoc = Pick<Order, 'id' | 'institutionId' | 'createdBy' | 'itemCode' | 'mode' | 'location' | 'window' | 'feeYuan' | 'createdAt'>;

/** Mutable fields, each its own hash field so the transition script can check them. */
export interface OrderFields {
  state?: OrderState;
  updatedAt?: string;
  acceptedAt?: string;
  completedAt?: string;
  assignedNurseId?: string;
  offerNurseId?: string;
  offerExpiresAtMs?: string;
  broadcastUntilMs?: string;
  attempts?: string;
  completion?: string;
  rating?: string;
  manualAssignment?: string;
}

export interface TransitionConditions {
  states?: readonly OrderState[];
  offerNurseId?: string;
  offerLive?: boolean;
  offerExpired?: boolean;
  broadcastOpen?: boolean;
  broadcastMember?: string;
  assignedNurseId?: string;
  /** Adds this nurse to the offered set; fails when she was offered the order before. */
  notOffered?: string;
}

export type TransitionFailure = 'NOT_FOUND' | 'ILLEGAL_TRANSITION' | 'OFFER_NOT_ACTIVE' | 'ORDER_TAKEN' | 'FORBIDDEN' | 'ALREADY_OFFERED';
export type TransitionResult = { ok: true; from: OrderState } | { ok: false; code: TransitionFailure; state: OrderState | '' };

export interface TransitionRequest {
  when: TransitionConditions;
  set: OrderFields;
  unset?: (keyof OrderFields)[];
  broadcastTo?: string[];
}

/** Orders in Redis: a hash per order, the patient apart, an index per institution. */
export function createOrderStore(deps: { redis: Redis; keys: RedisKeys }) {
  const { redis, keys } = deps;
  if (typeof (redis as { orderTransition?: unknown }).orderTransition !== 'function') {
    redis.defineCommand('orderTransition', { numberOfKeys: 3, lua: ORDER_TRANSITION_LUA });
  }
  if (typeof (redis as { orderCreate?: unknown }).orderCreate !== 'function') {
    redis.defineCommand('orderCreate', { numberOfKeys: 2, lua: ORDER_CREATE_LUA });
  }

  /** Lists the order under its institution; idempotent, so a retry after a failure may repeat it. */
  async function list(order: Pick<Order, 'id' | 'institutionId' | 'createdAt'>): Promise<void> {
    await redis.zadd(keys.institutionOrders(order.institutionId), Date.parse(order.createdAt), order.id);
  }

  return {
    /** Stores a new order; 409 when the id is taken. */
    async create(order: Order, patient: Patient): Promise<void> {
      const key = keys.order(order.id);
      const doc: OrderDoc = {
        id: order.id,
        institutionId: order.institutionId,
        createdBy: order.createdBy,
        itemCode: order.itemCode,
        mode: order.mode,
        location: order.location,
        window: order.window,
        feeYuan: order.feeYuan,
        createdAt: order.createdAt,
      };
      const stored = await redis.orderCreate(key, keys.orderPatient(order.id), JSON.stringify(doc), order.state, order.updatedAt, JSON.stringify(patient));
      if (stored === 0) throw new ConflictError('ALREADY_EXISTS', `order ${order.id} already exists`);
      // Listed only once stored, so an id taken by another institution never enters this one's list.
      await list(order);
    },

    list,

    async get(orderId: string): Promise<Order | undefined> {
      const hash = await redis.hgetall(keys.order(orderId));
      return hash['doc'] ? toOrder(hash) : undefined;
    },

    /** The patient's identity; callers must record the disclosure in the audit trail. */
    async getPatient(orderId: string): Promise<Patient | undefined> {
      const raw = await redis.get(keys.orderPatient(orderId));
      return raw ? (JSON.parse(raw) as Patient) : undefined;
    },

    async transition(orderId: string, now: number, request: TransitionRequest): Promise<TransitionResult> {
      const [code, state] = await redis.orderTransition(
        keys.order(orderId),
        keys.orderOffered(orderId),
        keys.orderBroadcast(orderId),
        JSON.stringify(request.when),
        JSON.stringify(request.set),
        JSON.stringify(request.unset ?? []),
        now,
        JSON.stringify(request.broadcastTo ?? []),
      );
      if (code === 'OK') return { ok: true, from: state as OrderState };
      return { ok: false, code: code as TransitionFailure, state: state as OrderState | '' };
    },

    /**
     * True the first time it is called for this order and event, false after: a step a
     * nurse's app repeats (its reply was lost) is recorded in the timeline once.
     */
    async markOnce(orderId: string, event: string): Promise<boolean> {
      return (await redis.hsetnx(keys.order(orderId), `recorded:${event}`, '1')) === 1;
    },

    async wasOffered(orderId: string): Promise<Set<string>> {
      return new Set(await redis.smembers(keys.orderOffered(orderId)));
    },

    async broadcastRecipients(orderId: string): Promise<string[]> {
      return redis.smembers(keys.orderBroadcast(orderId));
    },

    /** Order ids of an institution created in [fromMs, toMs], oldest first. */
    async idsOfInstitution(institutionId: string, fromMs: number, toMs: number, limit = 1000): Promise<string[]> {
      return redis.zrangebyscore(keys.institutionOrders(institutionId), fromMs, toMs, 'LIMIT', 0, limit);
    },
  };
}

export type OrderStore = ReturnType<typeof createOrderStore>;

function toOrder(hash: Record<string, string>): Order {
  const doc = JSON.parse(hash['doc'] as string) as OrderDoc;
  const order: Order = {
    ...doc,
    state: hash['state'] as OrderState,
    updatedAt: hash['updatedAt'] ?? doc.createdAt,
    attempts: Number(hash['attempts'] ?? 0),
  };
  if (hash['acceptedAt']) order.acceptedAt = hash['acceptedAt'];
  if (hash['completedAt']) order.completedAt = hash['completedAt'];
  if (hash['assignedNurseId']) order.assignedNurseId = hash['assignedNurseId'];
  if (hash['offerNurseId'] && hash['offerExpiresAtMs']) {
    order.offer = { nurseId: hash['offerNurseId'], expiresAt: new Date(Number(hash['offerExpiresAtMs'])).toISOString() };
  }
  if (hash['broadcastUntilMs']) order.broadcastUntil = new Date(Number(hash['broadcastUntilMs'])).toISOString();
  if (hash['completion']) order.completion = JSON.parse(hash['completion']);
  if (hash['rating']) order.rating = JSON.parse(hash['rating']);
  if (hash['manualAssignment']) order.manualAssignment = JSON.parse(hash['manualAssignment']);
  return order;
}
