import type { CatalogItem } from '../schemas/catalog.ts';

/**
 * Pudong's "Internet + nursing service" item list (浦东新区“互联网+护理服务”项目清单), the
 * first 19 items, in the policy's order. Only these may be ordered.
 *
 * Durations are planning figures for matching and scheduling. Fees are indicative
 * (visit included): each institution publishes its own prices, per the pilot rules
 * ("参照当地医疗服务价格收费标准").
 */
export const PUDONG_ITEMS: readonly CatalogItem[] = [
  item(1, 'pressure_injury_prevention', 'skin', 'Pressure-injury prevention', '压力性损伤预防护理', 30, 100),
  item(2, 'chronic_wound_care', 'skin', 'Chronic wound care', '慢性伤口护理', 45, 150),
  item(3, 'ordinary_stoma_care', 'skin', 'Ordinary stoma care', '普通造口护理', 40, 130),
  // "疑难造口护理": complications need a stoma specialist nurse.
  item(4, 'complex_stoma_care', 'skin', 'Complex stoma care', '疑难造口护理', 60, 200, { requiredCertification: 'complex_stoma', specialist: true }),
  item(5, 'postoperative_wound_care', 'skin', 'Post-operative wound care and suture removal', '术后伤口护理（拆线）', 40, 150),
  item(6, 'urinary_catheter_care', 'catheters', 'Indwelling urinary catheter care', '留置尿管的护理', 40, 130),
  item(7, 'nasogastric_feeding', 'catheters', 'Nasogastric feeding', '鼻饲护理', 30, 120),
  // The policy requires the matching qualification for these two explicitly.
  item(8, 'peritoneal_dialysis_catheter_maintenance', 'catheters', 'Peritoneal-dialysis catheter maintenance', '腹透管维护', 60, 180, {
    requiredCertification: 'peritoneal_dialysis',
  }),
  item(9, 'picc_maintenance', 'catheters', 'PICC maintenance', 'PICC维护', 45, 180, { requiredCertification: 'picc' }),
  item(10, 'blood_glucose_monitoring', 'specimens', 'Blood glucose monitoring', '血糖监测', 30, 80),
  item(11, 'venous_blood_collection', 'specimens', 'Venous blood collection', '静脉血采集', 30, 100),
  item(12, 'nebulised_inhalation', 'oxygen', 'Nebulised inhalation', '雾化吸入', 30, 100),
  item(13, 'oxygen_therapy', 'oxygen', 'Oxygen therapy', '吸氧', 30, 100),
  item(14, 'vital_signs_monitoring', 'basic', 'Vital signs monitoring', '生命体征的监测', 30, 80),
  item(15, 'physical_cooling', 'basic', 'Physical cooling', '物理降温', 30, 90),
  item(16, 'chronic_disease_guidance', 'guidance', 'Chronic disease guidance', '慢病健康指导', 45, 100),
  item(17, 'pain_care', 'guidance', 'Pain care', '疼痛护理', 45, 120),
  item(18, 'rehabilitation_aids', 'rehabilitation', 'Use of rehabilitation aids', '康复辅助器具使用指导', 45, 120),
  item(19, 'hospice_care', 'hospice', 'Hospice (palliative) care', '安宁疗护', 90, 200),
];

function item(
  number: number,
  code: string,
  category: CatalogItem['category'],
  name: string,
  nameZh: string,
  expectedDurationMin: number,
  feeYuan: number,
  extra: Partial<Pick<CatalogItem, 'requiredCertification' | 'specialist'>> = {},
): CatalogItem {
  return { code, number, category, name, nameZh, requiredCertification: null, specialist: false, expectedDurationMin, feeYuan, ...extra };
}
