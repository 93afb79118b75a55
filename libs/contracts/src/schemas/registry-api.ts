import Type from 'typebox';
import { Id } from './common.ts';
import { CERTIFICATIONS, Institution, NearbyInstitution, Nurse, TitleSchema } from './registry.ts';

/*
 * Request and reply shapes of the registry's HTTP routes. Query objects stay open
 * (no additionalProperties: false) because browsers may pass `?token=`.
 */

/** Shenyang recommends to a discharged patient every institution within this radius. */
export const NEARBY_INSTITUTION_RADIUS_M = 10_000;

export const NearbyQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'degrees north' }),
  lng: Type.Number({ minimum: -180, maximum: 180, description: 'degrees east' }),
});
export type NearbyQuery = Type.Static<typeof NearbyQuery>;

export const InstitutionList = Type.Object({ items: Type.Array(Institution) });
export type InstitutionList = Type.Static<typeof InstitutionList>;

export const NearbyInstitutionList = Type.Object({
  radiusMeters: Type.Number(),
  items: Type.Array(NearbyInstitution, { description: 'nearest first' }),
});
export type NearbyInstitutionList = Type.Static<typeof NearbyInstitutionList>;

export const NurseListQuery = Type.Object({
  institutionId: Type.Optional(Id),
  title: Type.Optional(TitleSchema),
  minYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, description: 'at least this many years of clinical experience' })),
  specialtyGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  suspended: Type.Optional(Type.Boolean()),
  certification: Type.Optional(Type.Enum(CERTIFICATIONS, { description: 'holds it, unexpired today' })),
  homeServiceTrained: Type.Optional(Type.Boolean()),
});
export type NurseListQuery = Type.Static<typeof NurseListQuery>;

export const NurseList = Type.Object({ items: Type.Array(Nurse) });
export type NurseList = Type.Static<typeof NurseList>;
