import Type from 'typebox';
import { Id } from './common.ts';

/**
 * The route a nurse took for an order, from acceptance to completion (or now), as a
 * GeoJSON Feature. Coordinates are [lng, lat] as GeoJSON wants; `timestamps[i]` is
 * the epoch ms of `coordinates[i]`.
 */
export const OrderTrack = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({
    type: Type.Literal('LineString'),
    coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 })),
  }),
  properties: Type.Object({
    orderId: Id,
    nurseId: Type.Optional(Id),
    fromMs: Type.Optional(Type.Integer()),
    toMs: Type.Optional(Type.Integer()),
    timestamps: Type.Array(Type.Integer()),
  }),
});
export type OrderTrack = Type.Static<typeof OrderTrack>;
