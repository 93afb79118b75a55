import type { NegativeListItem } from '@nursing/contracts';

/**
 * Procedures that may never be done at a patient's home (负面清单), whatever was
 * prescribed. An order naming one, as its item or among its procedures, is refused
 * with the reason below, so the reasons are written for the coordinator to read.
 */
export const NEGATIVE_LIST: readonly NegativeListItem[] = [
  {
    code: 'chemotherapy_infusion',
    name: 'Chemotherapy infusion',
    nameZh: '化疗药物输注',
    reason: 'cytotoxic drugs need protected preparation and monitoring for severe reactions, which a home cannot provide',
  },
  {
    code: 'blood_transfusion',
    name: 'Blood transfusion',
    nameZh: '输血',
    reason: 'a transfusion reaction needs immediate hospital treatment',
  },
  {
    code: 'skin_test_antibiotic_first_dose',
    name: 'First dose of an antibiotic that needs a skin test',
    nameZh: '需皮试抗菌药物的首次使用',
    reason: 'anaphylaxis after a skin test or a first dose needs resuscitation on hand',
  },
  {
    code: 'central_venous_catheter_insertion',
    name: 'Central venous catheter insertion',
    nameZh: '中心静脉导管置管',
    reason: 'an invasive procedure that needs a sterile procedure room and imaging to confirm the tip position',
  },
  {
    code: 'picc_insertion',
    name: 'PICC insertion',
    nameZh: 'PICC置管',
    reason: 'insertion needs a sterile procedure room and X-ray confirmation; only maintenance may be done at home',
  },
  {
    code: 'first_dose_intravenous_drug',
    name: 'First intravenous dose of a drug',
    nameZh: '首次静脉用药',
    reason: 'an unknown first-dose reaction must be observed where emergency care is at hand',
  },
  {
    code: 'tracheal_intubation',
    name: 'Tracheal intubation',
    nameZh: '气管插管',
    reason: 'an airway procedure with life-threatening risks that needs anaesthetic support',
  },
];
