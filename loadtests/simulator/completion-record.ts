import type { Completion } from '@nursing/contracts';
import type { Rng } from './rng.ts';

/** What a visit of each category typically uses (Shandong's supervision tracks consumables). */
const CONSUMABLES: Record<string, [string, number][]> = {
  skin: [['sterile dressing', 2], ['saline 100 ml', 1], ['gloves (pair)', 2]],
  catheters: [['catheter care kit', 1], ['gloves (pair)', 2], ['alcohol swab', 4]],
  specimens: [['vacuum blood tube', 2], ['needle', 1], ['alcohol swab', 2]],
  oxygen: [['nebuliser mask', 1], ['gloves (pair)', 1]],
  basic: [['thermometer cover', 1], ['gloves (pair)', 1]],
  guidance: [['information leaflet', 1]],
  rehabilitation: [['information leaflet', 1]],
  hospice: [['gloves (pair)', 2], ['mouth care swab', 4]],
};

/** A valid completion record: consumables, medical-waste disposal, and now and then a mild adverse event. */
export function completionRecord(category: string, rng: Rng): Completion {
  const completion: Completion = {
    consumables: (CONSUMABLES[category] ?? CONSUMABLES['basic']!).map(([name, quantity]) => ({ name, quantity })),
    medicalWaste: { disposed: true, method: category === 'specimens' || category === 'catheters' ? 'sharps container returned to the centre' : 'yellow clinical-waste bag returned to the centre' },
  };
  if (rng() < 0.01) completion.adverseEvent = { description: 'brief dizziness after the procedure, resolved with rest', severity: 'mild' };
  return completion;
}
