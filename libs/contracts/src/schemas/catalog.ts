import Type from 'typebox';
import { CERTIFICATIONS } from './registry.ts';

export const CATALOG_CATEGORIES = ['skin', 'catheters', 'specimens', 'oxygen', 'basic', 'guidance', 'rehabilitation', 'hospice'] as const;

export const CatalogItem = Type.Object({
  code: Type.String(),
  number: Type.Integer({ description: "position in Pudong's list of 19" }),
  category: Type.Enum(CATALOG_CATEGORIES),
  name: Type.String(),
  nameZh: Type.String(),
  requiredCertification: Type.Union([Type.Enum(CERTIFICATIONS), Type.Null()]),
  specialist: Type.Boolean(),
  expectedDurationMin: Type.Integer(),
  feeYuan: Type.Number(),
});
export type CatalogItem = Type.Static<typeof CatalogItem>;

/** Drug classes that may never be brought to a home visit. */
export const FORBIDDEN_DRUG_CLASSES = [
  'narcotic',
  'psychotropic',
  'toxic',
  'radioactive',
  'skin_test_required',
  'tcm_injection',
] as const;

export const NegativeListItem = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameZh: Type.String(),
  reason: Type.String(),
});
export type NegativeListItem = Type.Static<typeof NegativeListItem>;

export const CatalogReply = Type.Object({
  items: Type.Array(CatalogItem),
  negativeList: Type.Array(NegativeListItem),
  forbiddenDrugClasses: Type.Array(Type.String()),
});
