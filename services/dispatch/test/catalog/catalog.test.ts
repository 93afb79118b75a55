import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainRuleError, FORBIDDEN_DRUG_CLASSES, OrderCreate, type CatalogItem } from '@nursing/contracts';
import { checkOrderAgainstCatalog, findCatalogItem } from '../../src/catalog/catalog-rules.ts';
import { NEGATIVE_LIST } from '../../src/catalog/negative-list.ts';
import { PUDONG_ITEMS } from '@nursing/contracts';
import { bearer } from '../harness.ts';
import { SHANGHAI, startRegistryTestApp, type RegistryTestApp } from '../registry/registry-test-app.ts';

const order = (extra: Partial<OrderCreate> = {}): OrderCreate => ({
  patient: { id: 'p1', name: 'Patient One', phone: '13800000000', address: '1 Century Avenue', location: SHANGHAI },
  itemCode: 'picc_maintenance',
  mode: 'push',
  window: { startAt: '2026-11-24T08:00:00Z', endAt: '2026-11-24T10:00:00Z' },
  ...extra,
});

let t: RegistryTestApp;

beforeAll(async () => {
  // A probe route runs the rules behind the real HTTP shell, as the order routes will.
  t = await startRegistryTestApp(() => [
    {
      name: 'probe',
      routes: async (app) => {
        app.post('/test/check-order', { schema: { body: OrderCreate } }, async (request) => ({
          code: checkOrderAgainstCatalog(request.body as OrderCreate).code,
        }));
      },
    },
  ]);
});
afterAll(() => t?.close());

describe("Pudong's catalogue", () => {
  it('has the 19 items numbered 1-19 with unique codes, in the policy categories', () => {
    expect(PUDONG_ITEMS.map((i) => i.number)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(new Set(PUDONG_ITEMS.map((i) => i.code)).size).toBe(19);
    const categories = PUDONG_ITEMS.map((i) => i.category);
    expect(categories).toEqual([
      ...Array(5).fill('skin'),
      ...Array(4).fill('catheters'),
      ...Array(2).fill('specimens'),
      ...Array(2).fill('oxygen'),
      ...Array(2).fill('basic'),
      ...Array(2).fill('guidance'),
      'rehabilitation',
      'hospice',
    ]);
    for (const item of PUDONG_ITEMS) {
      expect(item.expectedDurationMin).toBeGreaterThanOrEqual(30);
      expect(item.expectedDurationMin).toBeLessThanOrEqual(90);
      expect(item.feeYuan).toBeGreaterThan(0);
      expect(item.nameZh).not.toBe('');
    }
  });

  it.each<[string, number, CatalogItem['requiredCertification'], boolean]>([
    ['complex_stoma_care', 4, 'complex_stoma', true],
    ['peritoneal_dialysis_catheter_maintenance', 8, 'peritoneal_dialysis', false],
    ['picc_maintenance', 9, 'picc', false],
  ])('%s (#%i) requires %s', (code, number, certification, specialist) => {
    expect(findCatalogItem(code)).toMatchObject({ number, requiredCertification: certification, specialist });
  });

  it('requires no certification for the other 16 items', () => {
    const plain = PUDONG_ITEMS.filter((i) => ![4, 8, 9].includes(i.number));
    expect(plain).toHaveLength(16);
    expect(plain.every((i) => i.requiredCertification === null && !i.specialist)).toBe(true);
  });

  it('keeps the negative list apart from the catalogue', () => {
    for (const n of NEGATIVE_LIST) expect(findCatalogItem(n.code)).toBeUndefined();
  });

  it('serves the catalogue, negative list and forbidden drug classes to any signed-in role', async () => {
    for (const token of [t.tokens.admin(), t.tokens.coordinator('i1'), t.tokens.nurse('n1', 'i1'), t.tokens.security()]) {
      const res = await t.app.inject({ url: '/v1/catalog', headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items).toHaveLength(19);
      expect(body.items[8]).toMatchObject({ code: 'picc_maintenance', nameZh: 'PICC维护', requiredCertification: 'picc' });
      expect(body.negativeList.map((n: { code: string }) => n.code)).toEqual(NEGATIVE_LIST.map((n) => n.code));
      expect(body.forbiddenDrugClasses).toEqual([...FORBIDDEN_DRUG_CLASSES]);
    }
    expect((await t.app.inject({ url: '/v1/catalog' })).statusCode).toBe(401);
  });
});

describe('an order checked against the catalogue', () => {
  it('returns the ordered item when every rule holds', async () => {
    const ok = order({ drugs: [{ name: 'Heparin flush', drugClass: 'anticoagulant' }, { name: 'Saline' }], procedures: ['dressing_change'] });
    expect(checkOrderAgainstCatalog(ok)).toBe(findCatalogItem('picc_maintenance'));
    const res = await t.app.inject({ method: 'POST', url: '/test/check-order', payload: ok });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 'picc_maintenance' });
  });

  it.each<[string, Partial<OrderCreate>, string, string[]]>([
    ['unknown item', { itemCode: 'foot_massage' }, 'UNKNOWN_CATALOG_ITEM', ['foot_massage', 'not in the service catalogue']],
    ['negative-list item', { itemCode: 'chemotherapy_infusion' }, 'NEGATIVE_LIST_ITEM', ['Chemotherapy infusion', '化疗药物输注', 'cytotoxic drugs']],
    ['negative-list item, loosely spelt', { itemCode: 'Blood-Transfusion' }, 'NEGATIVE_LIST_ITEM', ['Blood transfusion', 'transfusion reaction']],
    ['negative-list procedure', { procedures: ['dressing_change', 'picc_insertion'] }, 'NEGATIVE_LIST_ITEM', ['PICC insertion', 'only maintenance may be done at home']],
    ['two negative-list procedures', { procedures: ['blood_transfusion', 'tracheal_intubation'] }, 'NEGATIVE_LIST_ITEM', ['Blood transfusion', 'Tracheal intubation']],
    ['narcotic drug', { drugs: [{ name: 'Morphine', drugClass: 'narcotic' }] }, 'FORBIDDEN_DRUG', ['Morphine', 'narcotic (麻醉药品)']],
    ['psychotropic drug', { drugs: [{ name: 'Diazepam', drugClass: 'psychotropic' }] }, 'FORBIDDEN_DRUG', ['Diazepam', 'psychotropic']],
    ['toxic drug', { drugs: [{ name: 'Arsenic trioxide', drugClass: 'toxic' }] }, 'FORBIDDEN_DRUG', ['Arsenic trioxide', 'toxic for medical use']],
    ['radioactive drug', { drugs: [{ name: 'Iodine-131', drugClass: 'radioactive' }] }, 'FORBIDDEN_DRUG', ['Iodine-131', 'radioactive']],
    ['skin-test drug', { drugs: [{ name: 'Penicillin G', drugClass: 'Skin test required' }] }, 'FORBIDDEN_DRUG', ['Penicillin G', 'needs a skin test']],
    ['TCM injection', { drugs: [{ name: 'Shenmai injection', drugClass: 'tcm_injection' }] }, 'FORBIDDEN_DRUG', ['Shenmai injection', 'TCM injection (中药针剂)']],
  ])('%s is refused with 422 and its reason', async (_case, extra, code, mentions) => {
    const create = order(extra);
    expect(() => checkOrderAgainstCatalog(create)).toThrow(DomainRuleError);
    const res = await t.app.inject({ method: 'POST', url: '/test/check-order', payload: create });
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe(code);
    for (const text of mentions) expect(error.message).toContain(text);
  });

  it('names the drug and class in the details, never passing a clean drug along', () => {
    const create = order({ drugs: [{ name: 'Saline' }, { name: 'Pethidine', drugClass: 'NARCOTIC' }] });
    expect(() => checkOrderAgainstCatalog(create)).toThrow(expect.objectContaining({ details: { drugs: [{ name: 'Pethidine', drugClass: 'narcotic' }] } }));
  });
});
