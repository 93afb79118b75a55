import { DomainRuleError, FORBIDDEN_DRUG_CLASSES, type CatalogItem, type NegativeListItem, type OrderCreate } from '@nursing/contracts';
import { NEGATIVE_LIST } from './negative-list.ts';
import { PUDONG_ITEMS } from '@nursing/contracts';

type ForbiddenDrugClass = (typeof FORBIDDEN_DRUG_CLASSES)[number];

/** How each forbidden class is named in the rules (外带药品不得含有…), for the refusal message. */
const DRUG_CLASS_LABELS: Record<ForbiddenDrugClass, string> = {
  narcotic: 'narcotic (麻醉药品)',
  psychotropic: 'psychotropic (精神药品)',
  toxic: 'toxic for medical use (医疗用毒性药品)',
  radioactive: 'radioactive (放射性药品)',
  skin_test_required: 'needs a skin test (需要皮试的药品)',
  tcm_injection: 'TCM injection (中药针剂)',
};

const itemsByCode = new Map(PUDONG_ITEMS.map((i) => [i.code, i]));
const negativeByCode = new Map(NEGATIVE_LIST.map((n) => [n.code, n]));
const forbiddenClasses = new Set<string>(FORBIDDEN_DRUG_CLASSES);

/**
 * Refusals match generously ("Blood-Transfusion" is still a transfusion), while a
 * catalogue item must be named by its exact code, so stored orders carry canonical codes.
 */
function normalise(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function findCatalogItem(code: string): CatalogItem | undefined {
  return itemsByCode.get(code);
}

export function findNegativeListItem(code: string): NegativeListItem | undefined {
  return negativeByCode.get(normalise(code));
}

/** The forbidden class a declared drug class falls in, if any. */
export function forbiddenDrugClassOf(drugClass: string): ForbiddenDrugClass | undefined {
  const normalised = normalise(drugClass);
  return forbiddenClasses.has(normalised) ? (normalised as ForbiddenDrugClass) : undefined;
}

function negativeListError(items: NegativeListItem[]): DomainRuleError {
  const described = items.map((n) => `${n.name} (${n.nameZh}) may not be done at home: ${n.reason}`);
  return new DomainRuleError('NEGATIVE_LIST_ITEM', described.join('; '), {
    details: { items: items.map(({ code, reason }) => ({ code, reason })) },
  });
}

/**
 * The catalogue's rules for a new order: the item must be in the catalogue and not on
 * the negative list, no requested procedure may be on the negative list, and no drug
 * brought along may be of a forbidden class. Returns the ordered item.
 */
export function checkOrderAgainstCatalog(create: OrderCreate): CatalogItem {
  // Checked before the catalogue so the refusal gives the reason, not just "unknown".
  const negativeItem = findNegativeListItem(create.itemCode);
  if (negativeItem) throw negativeListError([negativeItem]);

  const item = findCatalogItem(create.itemCode);
  if (!item) {
    throw new DomainRuleError('UNKNOWN_CATALOG_ITEM', `item "${create.itemCode}" is not in the service catalogue`, {
      details: { itemCode: create.itemCode },
    });
  }

  const negativeProcedures = (create.procedures ?? []).flatMap((p) => findNegativeListItem(p) ?? []);
  if (negativeProcedures.length > 0) throw negativeListError(negativeProcedures);

  const forbiddenDrugs = (create.drugs ?? []).flatMap((d) => {
    const drugClass = d.drugClass === undefined ? undefined : forbiddenDrugClassOf(d.drugClass);
    return drugClass ? [{ name: d.name, drugClass }] : [];
  });
  if (forbiddenDrugs.length > 0) {
    const described = forbiddenDrugs.map((d) => `drug "${d.name}" may not be brought to a home visit: its class is ${DRUG_CLASS_LABELS[d.drugClass]}`);
    throw new DomainRuleError('FORBIDDEN_DRUG', described.join('; '), { details: { drugs: forbiddenDrugs } });
  }
  return item;
}
