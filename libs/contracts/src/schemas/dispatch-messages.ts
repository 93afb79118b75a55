import Type from 'typebox';
import { Id, LatLng, Timestamp } from './common.ts';
import { Completion, ORDER_STATES, Order, Patient, TimeWindow } from './order.ts';

/**
 * What dispatch sends to one nurse on `nurse.<id>.inbox`. The gateway forwards these to
 * her socket unchanged, so they double as WebSocket frames. Offers and broadcasts carry
 * a coarse area (an H3 cell), never the patient's name, phone or address.
 */
const JobSummary = {
  orderId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  distanceMeters: Type.Number(),
  area: Type.String({ description: 'coarse H3 cell around the patient (res 5)' }),
  window: TimeWindow,
  feeYuan: Type.Number(),
};

export const OfferMessage = Type.Object({ type: Type.Literal('offer'), ...JobSummary, expiresAtMs: Type.Integer() });
export const BroadcastMessage = Type.Object({ type: Type.Literal('broadcast'), ...JobSummary, closesAtMs: Type.Integer() });
export const TakenMessage = Type.Object({ type: Type.Literal('taken'), orderId: Id });
export const OfferWithdrawnMessage = Type.Object({
  type: Type.Literal('offer.withdrawn'),
  orderId: Id,
  reason: Type.Enum(['expired', 'cancelled', 'reassigned']),
});
/** Sent to the nurse who won or was assigned: only now does she get the patient's details. */
export const AssignedMessage = Type.Object({ type: Type.Literal('assigned'), order: Order, patient: Patient });
export const OrderUpdatedMessage = Type.Object({ type: Type.Literal('order.updated'), orderId: Id, state: Type.Enum(ORDER_STATES) });
/** From the alarms service: report position every `intervalMs` until told otherwise. */
export const FollowMessage = Type.Object({ type: Type.Literal('follow'), alarmId: Id, intervalMs: Type.Integer({ minimum: 0 }) });

export const NurseInboxMessage = Type.Union([
  OfferMessage,
  BroadcastMessage,
  TakenMessage,
  OfferWithdrawnMessage,
  AssignedMessage,
  OrderUpdatedMessage,
  FollowMessage,
]);
export type NurseInboxMessage = Type.Static<typeof NurseInboxMessage>;

/** Requests a nurse makes (through the gateway) to any dispatch instance. */
export const AcceptRequest = Type.Object({ nurseId: Id, orderId: Id }, { additionalProperties: false });
export const DeclineRequest = Type.Object(
  { nurseId: Id, orderId: Id, reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const GrabRequest = Type.Object({ nurseId: Id, orderId: Id }, { additionalProperties: false });

/** `departed` records her leaving the patient's home (detected by the gateway); it changes no state. */
export const VISIT_STEPS = ['en_route', 'arrived', 'started', 'completed', 'departed'] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];
export const ProgressRequest = Type.Object(
  {
    nurseId: Id,
    orderId: Id,
    step: Type.Enum(VISIT_STEPS),
    /** Service may start only after the nurse confirmed the patient's identity at the door. */
    identityConfirmed: Type.Optional(Type.Boolean()),
    completion: Type.Optional(Completion),
    position: Type.Optional(LatLng),
  },
  { additionalProperties: false },
);
export type AcceptRequest = Type.Static<typeof AcceptRequest>;
export type DeclineRequest = Type.Static<typeof DeclineRequest>;
export type GrabRequest = Type.Static<typeof GrabRequest>;
export type ProgressRequest = Type.Static<typeof ProgressRequest>;

/** Every dispatch reply: success with the order (and patient for the assignee), or a coded error. */
export const DispatchReply = Type.Union([
  Type.Object({ ok: Type.Literal(true), order: Order, patient: Type.Optional(Patient) }),
  Type.Object({ ok: Type.Literal(false), error: Type.Object({ code: Type.String(), message: Type.String() }) }),
]);
export type DispatchReply = Type.Static<typeof DispatchReply>;

/** Published on `order.<institution>.<orderId>` for coordinators' maps. */
export const OrderEvent = Type.Object({
  type: Type.Literal('order.event'),
  event: Type.String({ description: 'what happened, e.g. offered, accepted, unassigned' }),
  order: Order,
  nurseId: Type.Optional(Id),
  at: Timestamp,
});
export type OrderEvent = Type.Static<typeof OrderEvent>;

/** One entry of the regulations' "full trace", appended to the AUDIT stream. */
export const AuditEntry = Type.Object({
  /** The order's id, or `alarm-<alarmId>` for an alarm's trace (hence up to 70 characters). */
  orderId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,70}$' }),
  at: Timestamp,
  actor: Type.Object({ role: Type.String(), id: Type.String() }),
  action: Type.String({ description: 'transition (created, offered, accepted, …) or disclosure (patient.disclosed, offer.sent, broadcast.sent)' }),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type AuditEntry = Type.Static<typeof AuditEntry>;
