import Type from 'typebox';
import { Id, LatLng, Timestamp } from './common.ts';

export const ORDER_MODES = ['push', 'grab'] as const;
export type OrderMode = (typeof ORDER_MODES)[number];

export const ORDER_STATES = [
  'created',
  'dispatching',
  'offered',
  'broadcast',
  'accepted',
  'en_route',
  'arrived',
  'in_service',
  'completed',
  'rated',
  'cancelled',
  'unassigned',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** The patient as the coordinator enters them. Never logged, never broadcast. */
export const Patient = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.String({ pattern: '^[0-9+() -]{5,20}$' }),
    address: Type.String({ minLength: 1, maxLength: 300 }),
    location: LatLng,
  },
  { additionalProperties: false },
);
export type Patient = Type.Static<typeof Patient>;

export const Assessment = Type.Object(
  { doctorName: Type.String({ minLength: 1, maxLength: 100 }), assessedAt: Timestamp },
  { additionalProperties: false },
);
export const Consent = Type.Object(
  {
    recordId: Type.String({ minLength: 1, maxLength: 64 }),
    signedAt: Timestamp,
    signedBy: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
export const TimeWindow = Type.Object({ startAt: Timestamp, endAt: Timestamp }, { additionalProperties: false });

export const Drug = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    drugClass: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { additionalProperties: false },
);

/**
 * Assessment and consent are optional in the schema on purpose: their absence is a
 * domain refusal (422 with the rule), not a malformed request (400).
 */
export const OrderCreate = Type.Object(
  {
    id: Type.Optional(Id),
    patient: Patient,
    itemCode: Type.String({ minLength: 1, maxLength: 64 }),
    mode: Type.Enum(ORDER_MODES),
    assessment: Type.Optional(Assessment),
    consent: Type.Optional(Consent),
    window: TimeWindow,
    drugs: Type.Optional(Type.Array(Drug, { maxItems: 30 })),
    procedures: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), { maxItems: 30, description: 'extra procedures requested; checked against the negative list' }),
    ),
    notes: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type OrderCreate = Type.Static<typeof OrderCreate>;

export const Completion = Type.Object(
  {
    consumables: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), quantity: Type.Number({ minimum: 0 }) }), {
      maxItems: 50,
    }),
    medicalWaste: Type.Object({ disposed: Type.Boolean(), method: Type.String({ minLength: 1, maxLength: 100 }) }),
    adverseEvent: Type.Optional(Type.Object({ description: Type.String({ minLength: 1, maxLength: 2000 }), severity: Type.Enum(['mild', 'moderate', 'severe']) })),
  },
  { additionalProperties: false },
);
export type Completion = Type.Static<typeof Completion>;

/** An order as stored and shown to staff. Patient identity lives apart (see Patient). */
export const Order = Type.Object({
  id: Id,
  institutionId: Id,
  createdBy: Id,
  itemCode: Type.String(),
  mode: Type.Enum(ORDER_MODES),
  state: Type.Enum(ORDER_STATES),
  location: LatLng,
  window: TimeWindow,
  feeYuan: Type.Number(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  acceptedAt: Type.Optional(Timestamp),
  completedAt: Type.Optional(Timestamp),
  assignedNurseId: Type.Optional(Id),
  offer: Type.Optional(Type.Object({ nurseId: Id, expiresAt: Timestamp })),
  broadcastUntil: Type.Optional(Timestamp),
  attempts: Type.Integer(),
  completion: Type.Optional(Completion),
  rating: Type.Optional(Type.Object({ score: Type.Integer(), comment: Type.Optional(Type.String()) })),
  manualAssignment: Type.Optional(Type.Object({ by: Id, reason: Type.Optional(Type.String()) })),
});
export type Order = Type.Static<typeof Order>;
