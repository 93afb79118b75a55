import Type from 'typebox';
import { Day, Id, LatLng } from './common.ts';

export const INSTITUTION_KINDS = ['hospital', 'community_health_centre', 'nursing_home', 'other'] as const;

export const Institution = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(INSTITUTION_KINDS),
    location: LatLng,
  },
  { additionalProperties: false },
);
export type Institution = Type.Static<typeof Institution>;

export const NearbyInstitution = Type.Intersect([Institution, Type.Object({ distanceMeters: Type.Number() })]);

/**
 * The five-level title ladder, low to high. Order matters: eligibility compares ranks.
 * Nurse 护士 < Nurse Practitioner 护师 < Supervisor Nurse 主管护师 <
 * Associate Chief Nurse 副主任护师 < Chief Nurse 主任护师.
 */
export const TITLES = ['nurse', 'nurse_practitioner', 'supervisor_nurse', 'associate_chief_nurse', 'chief_nurse'] as const;
export type Title = (typeof TITLES)[number];
export const TitleSchema = Type.Enum(TITLES);

/** Certifications some catalogue items require. */
export const CERTIFICATIONS = ['picc', 'peritoneal_dialysis', 'complex_stoma'] as const;
export type CertificationCode = (typeof CERTIFICATIONS)[number];

export const Certification = Type.Object(
  {
    code: Type.Enum(CERTIFICATIONS),
    expiresOn: Day,
  },
  { additionalProperties: false },
);

export const NurseFields = {
  institutionId: Id,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  registrationNumber: Type.String({ pattern: '^[A-Za-z0-9-]{6,32}$', description: 'national nurse registration number' }),
  title: TitleSchema,
  yearsExperience: Type.Integer({ minimum: 0, maximum: 60 }),
  certifications: Type.Array(Certification, { maxItems: 20 }),
  specialtyGroups: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 }),
  homeServiceTrained: Type.Boolean(),
  suspended: Type.Boolean(),
};

export const NurseCreate = Type.Object({ id: Id, ...NurseFields }, { additionalProperties: false });
export type NurseCreate = Type.Static<typeof NurseCreate>;

/**
 * Partial update; the institution and id never change. The closing option goes on
 * Partial itself: Type.Partial does not keep the inner object's additionalProperties.
 */
export const NurseUpdate = Type.Partial(
  Type.Object({
    name: NurseFields.name,
    registrationNumber: NurseFields.registrationNumber,
    title: NurseFields.title,
    yearsExperience: NurseFields.yearsExperience,
    certifications: NurseFields.certifications,
    specialtyGroups: NurseFields.specialtyGroups,
    homeServiceTrained: NurseFields.homeServiceTrained,
    suspended: NurseFields.suspended,
  }),
  { additionalProperties: false },
);
export type NurseUpdate = Type.Static<typeof NurseUpdate>;

export const Nurse = Type.Object(
  {
    id: Id,
    ...NurseFields,
    ratingSum: Type.Number(),
    ratingCount: Type.Integer(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
export type Nurse = Type.Static<typeof Nurse>;
