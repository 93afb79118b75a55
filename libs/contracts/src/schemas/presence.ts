import Type from 'typebox';
import { Id } from './common.ts';

/** A position report. Times are epoch milliseconds: this is the hot path, no date parsing. */
export const LocationReport = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
    headingDeg: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
    speedMps: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    atMs: Type.Integer({ minimum: 0, description: 'when the fix was taken, epoch ms' }),
  },
  { additionalProperties: false },
);
export type LocationReport = Type.Static<typeof LocationReport>;

/** A position as stored and published: the report plus who. */
export const NursePosition = Type.Object({
  nurseId: Id,
  lat: Type.Number(),
  lng: Type.Number(),
  accuracyM: Type.Optional(Type.Number()),
  headingDeg: Type.Optional(Type.Number()),
  speedMps: Type.Optional(Type.Number()),
  atMs: Type.Integer(),
});
export type NursePosition = Type.Static<typeof NursePosition>;

/** Positions stored together in one coarse cell, as published on its subject. */
export const PositionBatch = Type.Array(NursePosition, { minItems: 1, maxItems: 1_000 });
export type PositionBatch = Type.Static<typeof PositionBatch>;

export const AVAILABILITY = ['available', 'busy', 'offline'] as const;
export type Availability = (typeof AVAILABILITY)[number];
export const AvailabilitySchema = Type.Enum(AVAILABILITY);

export const StatusReport = Type.Object({ status: AvailabilitySchema }, { additionalProperties: false });

/** Stored and published availability. */
export const Presence = Type.Object({
  nurseId: Id,
  status: AvailabilitySchema,
  atMs: Type.Integer(),
});
export type Presence = Type.Static<typeof Presence>;
