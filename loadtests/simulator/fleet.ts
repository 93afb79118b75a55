import type { Static } from 'typebox';
import type { Certification as CertificationSchema, INSTITUTION_KINDS, LatLng, NurseCreate, Title } from '@nursing/contracts';
import { CITY_CENTRE, pointNear } from './geo-offset.ts';
import type { TravelMode } from './movement.ts';
import { between, pick, rngFor, weighted, type Rng } from './rng.ts';

type Certification = Static<typeof CertificationSchema>;
type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export interface SimInstitution {
  id: string;
  name: string;
  kind: InstitutionKind;
  location: LatLng;
}

export interface SimNurse {
  profile: NurseCreate;
  home: LatLng;
  mode: TravelMode;
  /** Whether dispatch may offer her anything at all (title, years, training, suspension). */
  eligible: boolean;
}

const DISTRICTS = ['Huangpu', 'Jing\u2019an', 'Xuhui', 'Changning', 'Putuo', 'Hongkou', 'Yangpu', 'Pudong', 'Minhang', 'Baoshan'];
const SPECIALTY_GROUPS = ['catheters', 'iv_therapy', 'wounds_and_stomas', 'mother_and_infant', 'rehabilitation', 'tcm'];

/** Institutions spread around the centre; the same seed gives the same ones. */
export function generateInstitutions(count: number, spreadKm: number, seed: number, prefix: string): SimInstitution[] {
  return Array.from({ length: count }, (_, i) => {
    const rng = rngFor(seed, 1_000_000 + i);
    const hospital = i % 3 === 0;
    return {
      id: `${prefix}-inst-${i + 1}`,
      name: `${DISTRICTS[i % DISTRICTS.length]} ${hospital ? 'Hospital' : 'Community Health Centre'} ${Math.floor(i / DISTRICTS.length) + 1}`,
      kind: hospital ? 'hospital' : 'community_health_centre',
      location: pointNear(CITY_CENTRE, spreadKm * 600, rng),
    };
  });
}

/** Titles roughly as in a city hospital's nursing department; the first one is not eligible. */
const TITLE_MIX: readonly (readonly [Title, number])[] = [
  ['nurse', 20],
  ['nurse_practitioner', 35],
  ['supervisor_nurse', 30],
  ['associate_chief_nurse', 10],
  ['chief_nurse', 5],
];
const YEARS: Record<Title, [number, number]> = {
  nurse: [1, 6],
  nurse_practitioner: [3, 12],
  supervisor_nurse: [8, 20],
  associate_chief_nurse: [15, 28],
  chief_nurse: [20, 35],
};

function certifications(rng: Rng, nowMs: number): Certification[] {
  const out: Certification[] = [];
  const day = (offsetDays: number) => new Date(nowMs + offsetDays * 86_400_000).toISOString().slice(0, 10);
  // About one in twenty certificates has lapsed: the nurse then fails that item's rule.
  const expiry = () => (rng() < 0.05 ? day(-between(rng, 10, 200)) : day(between(rng, 60, 1_000)));
  if (rng() < 0.3) out.push({ code: 'picc', expiresOn: expiry() });
  if (rng() < 0.15) out.push({ code: 'peritoneal_dialysis', expiresOn: expiry() });
  if (rng() < 0.1) out.push({ code: 'complex_stoma', expiresOn: expiry() });
  return out;
}

/** Nurse `index` of the fleet: a function of (seed, index) only, so reruns register the same nurse. */
export function generateNurse(index: number, institutions: readonly SimInstitution[], spreadKm: number, seed: number, prefix: string, nowMs: number): SimNurse {
  const rng = rngFor(seed, index);
  const institution = institutions[index % institutions.length] as SimInstitution;
  const title = weighted(rng, TITLE_MIX);
  const [low, high] = YEARS[title];
  const yearsExperience = Math.round(between(rng, low, high));
  const homeServiceTrained = rng() < 0.9;
  const suspended = rng() < 0.03;
  const id = `${prefix}-n${String(index + 1).padStart(5, '0')}`;
  const profile: NurseCreate = {
    id,
    institutionId: institution.id,
    name: `Sim Nurse ${index + 1}`,
    registrationNumber: `SIM${String(seed).padStart(3, '0')}${String(index + 1).padStart(6, '0')}`,
    title,
    yearsExperience,
    certifications: certifications(rng, nowMs),
    specialtyGroups: [pick(rng, SPECIALTY_GROUPS)],
    homeServiceTrained,
    suspended,
  };
  return {
    profile,
    // Nurses live and work around their institution, within a few km (at most 3).
    home: pointNear(institution.location, Math.min(spreadKm, 3) * 1000, rng),
    mode: rng() < 0.6 ? 'drive' : 'walk',
    eligible: title !== 'nurse' && yearsExperience >= 5 && homeServiceTrained && !suspended,
  };
}

export function generateFleet(count: number, institutions: readonly SimInstitution[], spreadKm: number, seed: number, prefix: string, nowMs = Date.now()): SimNurse[] {
  return Array.from({ length: count }, (_, i) => generateNurse(i, institutions, spreadKm, seed, prefix, nowMs));
}
