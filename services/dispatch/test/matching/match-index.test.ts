import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CERTIFICATIONS, TITLES, type Nurse } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';
import { isEligible, type EligibilityContext } from '../../src/matching/eligibility.ts';
import { MatchIndex, type NurseEntry } from '../../src/matching/match-index.ts';
import { findCatalogItem } from '../../src/catalog/catalog-rules.ts';

// The ready indexes skip whole groups of nurses (other institutions, unqualified,
// unavailable) and check only freshness and certificates in the search. Whatever
// sequence of profile, availability and position changes arrives, the answer must be
// what filtering every nurse with isEligible gives.
const NOW = Date.parse('2026-11-23T08:00:00Z');
const CENTRE = { lat: 31.2304, lng: 121.4737 };
const ids = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];

const profile = fc.record({
  id: fc.constantFrom(...ids),
  institutionId: fc.constantFrom('i1', 'i2'),
  title: fc.constantFrom(...TITLES),
  years: fc.integer({ min: 3, max: 8 }),
  trained: fc.boolean(),
  suspended: fc.boolean(),
  certs: fc.array(fc.record({ code: fc.constantFrom(...CERTIFICATIONS), expiresOn: fc.constantFrom('2020-01-01', '2026-11-23', '2030-12-31') }), { maxLength: 3 }),
});
const change = fc.oneof(
  profile.map((p) => ({ kind: 'nurse' as const, p })),
  fc.record({ id: fc.constantFrom(...ids), status: fc.constantFrom('available', 'busy', 'offline') as fc.Arbitrary<'available' | 'busy' | 'offline'>, atMs: fc.integer({ min: NOW - 10_000, max: NOW }) }).map((p) => ({ kind: 'presence' as const, p })),
  fc.record({
    id: fc.constantFrom(...ids),
    // Up to ~15 km away in each direction: some in, some out of the 10 km radius.
    dLat: fc.double({ min: -0.14, max: 0.14, noNaN: true }),
    dLng: fc.double({ min: -0.16, max: 0.16, noNaN: true }),
    ageMs: fc.integer({ min: 0, max: 300_000 }),
  }).map((p) => ({ kind: 'position' as const, p })),
);

type ProfileInput = { id: string; institutionId: string; title: (typeof TITLES)[number]; years: number; trained: boolean; suspended: boolean; certs: Nurse['certifications'] };

function nurseOf(p: ProfileInput): Nurse {
  return {
    id: p.id, institutionId: p.institutionId, name: p.id, registrationNumber: 'REG000001', title: p.title, yearsExperience: p.years,
    certifications: p.certs, specialtyGroups: [], homeServiceTrained: p.trained, suspended: p.suspended, ratingSum: 0, ratingCount: 0, updatedAt: '',
  };
}

describe('MatchIndex.nearestEligible', () => {
  it('equals brute force over isEligible after any sequence of changes', () => {
    fc.assert(
      fc.property(
        fc.array(change, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('picc_maintenance', 'vital_signs_monitoring', 'complex_stoma_care'),
        fc.integer({ min: 1, max: 8 }),
        (changes, itemCode, limit) => {
          const index = new MatchIndex();
          const mirror = new Map<string, NurseEntry>();
          const at = (id: string) => mirror.get(id) ?? (mirror.set(id, {}), mirror.get(id)!);
          for (const c of changes) {
            if (c.kind === 'nurse') {
              const nurse = nurseOf(c.p);
              index.applyNurse(nurse);
              at(nurse.id).nurse = nurse;
            } else if (c.kind === 'presence') {
              const presence = { nurseId: c.p.id, status: c.p.status, atMs: c.p.atMs };
              index.applyPresence(presence);
              const e = at(c.p.id);
              if (!e.presence || e.presence.atMs <= presence.atMs) e.presence = presence;
            } else {
              const position = { nurseId: c.p.id, lat: CENTRE.lat + c.p.dLat, lng: CENTRE.lng + c.p.dLng, atMs: NOW - c.p.ageMs };
              index.applyPosition(position);
              const e = at(c.p.id);
              if (!e.position || e.position.atMs <= position.atMs) e.position = position;
            }
          }
          const ctx: EligibilityContext = {
            order: { institutionId: 'i1', window: { startAt: '2026-11-23T09:00:00Z', endAt: '2026-11-23T11:00:00Z' } },
            item: findCatalogItem(itemCode)!,
            nowMs: NOW,
            maxPositionAgeMs: 120_000,
            radiusMeters: 10_000,
          };
          const expected = [...mirror]
            .filter(([, e]) => e.position)
            .map(([id, e]) => ({ id, d: distanceMeters(CENTRE, e.position!), e }))
            .filter(({ d, e }) => d <= 10_000 && isEligible(e, { ...ctx, distanceMeters: d }))
            .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
            .slice(0, limit)
            .map((x) => x.id);
          expect(index.nearestEligible(CENTRE, ctx, { limit }).map((h) => h.id)).toEqual(expected);
          const excluded = new Set(expected.slice(0, 1));
          expect(index.nearestEligible(CENTRE, ctx, { exclude: excluded }).map((h) => h.id)).not.toContain(expected[0]);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('lists an institution’s nurses and follows a move between institutions', () => {
    const index = new MatchIndex();
    const nurse = nurseOf({ id: 'n1', institutionId: 'i1', title: 'supervisor_nurse', years: 9, trained: true, suspended: false, certs: [] });
    index.applyNurse(nurse);
    expect(index.ofInstitution('i1').map(([id]) => id)).toEqual(['n1']);
    index.applyNurse({ ...nurse, institutionId: 'i2' });
    expect(index.ofInstitution('i1')).toEqual([]);
    expect(index.ofInstitution('i2').map(([id]) => id)).toEqual(['n1']);
  });
});
