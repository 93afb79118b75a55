import type { CatalogItem, Nurse, Title } from '@nursing/contracts';
import type { LatLng } from '@nursing/geo';
import type { EligibilityContext } from '../../services/dispatch/src/matching/eligibility.ts';
import type { NurseEntry } from '../../services/dispatch/src/matching/nurse-index.ts';
import { PUDONG_ITEMS } from '@nursing/contracts';

/** People's Square, Shanghai; the box is 60 x 60 km around it. */
export const CENTER: LatLng = { lat: 31.2304, lng: 121.4737 };
export const BOX_HALF_SIDE_M = 30_000;
export const RADIUS_M = 10_000;
export const LIMIT = 50;
/** Dispatch's defaults (services/dispatch/src/env.ts). */
export const MAX_POSITION_AGE_MS = 120_000;
export const INSTITUTION_ID = 'inst_bench_main';

const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LNG = M_PER_DEG_LAT * Math.cos((CENTER.lat * Math.PI) / 180);

/** A uniform point in the box (flat approximation; 30 km from the centre it is plenty). */
export function randomPointInBox(random: () => number): LatLng {
  return {
    lat: CENTER.lat + ((random() * 2 - 1) * BOX_HALF_SIDE_M) / M_PER_DEG_LAT,
    lng: CENTER.lng + ((random() * 2 - 1) * BOX_HALF_SIDE_M) / M_PER_DEG_LNG,
  };
}

export function piccItem(): CatalogItem {
  const item = PUDONG_ITEMS.find((i) => i.requiredCertification === 'picc');
  if (!item) throw new Error('the catalogue has no PICC item');
  return item;
}

/** The context dispatch builds for a PICC order due within the next two hours. */
export function piccContext(nowMs: number): EligibilityContext {
  return {
    order: {
      institutionId: INSTITUTION_ID,
      window: { startAt: new Date(nowMs + 3_600_000).toISOString(), endAt: new Date(nowMs + 7_200_000).toISOString() },
    },
    item: piccItem(),
    visitEndMs: nowMs + 7_200_000,
    nowMs,
    maxPositionAgeMs: MAX_POSITION_AGE_MS,
    radiusMeters: RADIUS_M,
  };
}

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  let r = random() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  return weighted.at(-1)![0];
}

// Shared sub-objects: 500k profiles with their own copies of these would cost
// hundreds of MB for nothing, and nothing in matching mutates them.
const day = (msFromNow: number, nowMs: number) => new Date(nowMs + msFromNow).toISOString().slice(0, 10);
type Certifications = Nurse['certifications'];
function certificationVariants(nowMs: number): [Certifications, number][] {
  const year = 365 * 86_400_000;
  return [
    [[{ code: 'picc', expiresOn: day(2 * year, nowMs) }], 62],
    [[{ code: 'picc', expiresOn: day(year, nowMs) }, { code: 'complex_stoma', expiresOn: day(year, nowMs) }], 18],
    // Lapsed a month ago: the profile still lists it, eligibility must reject it.
    [[{ code: 'picc', expiresOn: day(-30 * 86_400_000, nowMs) }], 4],
    [[{ code: 'peritoneal_dialysis', expiresOn: day(year, nowMs) }], 6],
    [[], 10],
  ];
}
const SPECIALTIES: string[][] = [['oncology'], ['geriatrics', 'wound care'], []];
const TITLE_WEIGHTS: readonly (readonly [Title, number])[] = [
  ['nurse', 5],
  ['nurse_practitioner', 40],
  ['supervisor_nurse', 35],
  ['associate_chief_nurse', 15],
  ['chief_nurse', 5],
];

export interface Population {
  ids: string[];
  entries: NurseEntry[];
  nowMs: number;
}

/**
 * `n` nurses uniform in the box, each with a profile, a presence and a fresh
 * position. The mix is tuned so about 60% pass every rule for a PICC order
 * (0.95 title x 0.93 years x 0.97 trained x 0.98 not suspended x 0.97 institution
 * x 0.80 valid PICC x 0.92 available); the exact share is measured and reported.
 */
export function generatePopulation(n: number, random: () => number, nowMs: number): Population {
  const certs = certificationVariants(nowMs);
  const updatedAt = new Date(nowMs).toISOString();
  const width = String(n - 1).length;
  const ids: string[] = new Array<string>(n);
  const entries: NurseEntry[] = new Array<NurseEntry>(n);
  for (let i = 0; i < n; i++) {
    const id = `n${String(i).padStart(width, '0')}`;
    const nurse: Nurse = {
      id,
      institutionId: random() < 0.97 ? INSTITUTION_ID : 'inst_bench_other',
      name: `Nurse ${i}`,
      registrationNumber: `REG-${String(i).padStart(8, '0')}`,
      title: pick(random, TITLE_WEIGHTS),
      // 7% are early-career (0-4 years); the rest 5-30.
      yearsExperience: random() < 0.07 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 26),
      certifications: pick(random, certs),
      specialtyGroups: SPECIALTIES[i % SPECIALTIES.length]!,
      homeServiceTrained: random() < 0.97,
      suspended: random() < 0.02,
      ratingSum: 0,
      ratingCount: 0,
      updatedAt,
    };
    const r = random();
    const status = r < 0.92 ? 'available' : r < 0.97 ? 'busy' : 'offline';
    const p = randomPointInBox(random);
    // Fresh: reported within the last minute, well inside the 2-minute limit.
    const atMs = nowMs - Math.floor(random() * 60_000);
    ids[i] = id;
    entries[i] = { nurse, presence: { nurseId: id, status, atMs }, position: { nurseId: id, lat: p.lat, lng: p.lng, atMs } };
  }
  return { ids, entries, nowMs };
}
