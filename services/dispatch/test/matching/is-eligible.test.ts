import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CERTIFICATIONS, TITLES } from '@nursing/contracts';
import { ineligibilityReasons, isEligible, type EligibilityContext } from '../../src/matching/eligibility.ts';
import type { NurseEntry } from '../../src/matching/nurse-index.ts';
import { findCatalogItem } from '../../src/catalog/catalog-rules.ts';

// isEligible is the allocation-free copy of the rules used inside the ring search;
// it must give the same answer as the explained version for every nurse.
const NOW = Date.parse('2026-11-23T08:00:00Z');
const entry = fc.record({
  institutionId: fc.constantFrom('i1', 'i2'),
  title: fc.constantFrom(...TITLES),
  years: fc.integer({ min: 0, max: 12 }),
  trained: fc.boolean(),
  suspended: fc.boolean(),
  certs: fc.array(fc.record({ code: fc.constantFrom(...CERTIFICATIONS), expiresOn: fc.constantFrom('2020-01-01', '2026-11-23', '2030-12-31') }), { maxLength: 3 }),
  status: fc.constantFrom('available', 'busy', 'offline', undefined),
  ageMs: fc.option(fc.integer({ min: 0, max: 300_000 })),
  distance: fc.option(fc.integer({ min: 0, max: 12_000 })),
  item: fc.constantFrom('picc_maintenance', 'vital_signs_monitoring', 'complex_stoma_care'),
});

describe('isEligible agrees with ineligibilityReasons', () => {
  it('for any nurse and item', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const nurseEntry: NurseEntry = {
          nurse: {
            id: 'n', institutionId: e.institutionId, name: 'n', registrationNumber: 'REG000001', title: e.title, yearsExperience: e.years,
            certifications: e.certs, specialtyGroups: [], homeServiceTrained: e.trained, suspended: e.suspended, ratingSum: 0, ratingCount: 0, updatedAt: '',
          },
          ...(e.status ? { presence: { nurseId: 'n', status: e.status, atMs: NOW } } : {}),
          ...(e.ageMs === null ? {} : { position: { nurseId: 'n', lat: 31, lng: 121, atMs: NOW - e.ageMs } }),
        };
        const ctx: EligibilityContext = {
          order: { institutionId: 'i1', window: { startAt: '2026-11-23T09:00:00Z', endAt: '2026-11-23T11:00:00Z' } },
          item: findCatalogItem(e.item)!,
          nowMs: NOW,
          maxPositionAgeMs: 120_000,
          radiusMeters: 10_000,
          ...(e.distance === null ? {} : { distanceMeters: e.distance }),
        };
        expect(isEligible(nurseEntry, ctx)).toBe(ineligibilityReasons(nurseEntry, ctx).length === 0);
      }),
      { numRuns: 2_000 },
    );
  });
});
