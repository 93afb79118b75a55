import { TITLES, type CatalogItem, type Nurse, type Order } from '@nursing/contracts';
import type { NurseEntry } from './nurse-index.ts';

/** Why a nurse may not be offered an order. Each names one rule of DOMAIN.md. */
export const INELIGIBILITY_REASONS = {
  not_registered: 'no nurse profile is registered',
  other_institution: 'registered at another institution',
  title_below_nurse_practitioner: 'title below Nurse Practitioner (护师)',
  under_5_years: 'less than 5 years of clinical experience',
  not_trained: 'not trained and assessed for home service',
  suspended: 'suspended (exit mechanism)',
  missing_certification: 'lacks the certification this item requires',
  certification_expired: 'the required certification has expired',
  not_online: 'offline or never reported availability',
  busy: 'busy with another visit',
  no_position: 'no position reported',
  position_stale: 'last position is too old',
  too_far: 'farther than the matching radius',
  already_offered: 'was already offered this order',
} as const;
export type IneligibilityReason = keyof typeof INELIGIBILITY_REASONS;

export const MIN_YEARS_EXPERIENCE = 5;
const MIN_TITLE_RANK = TITLES.indexOf('nurse_practitioner');

export interface EligibilityContext {
  order: Pick<Order, 'institutionId' | 'window'>;
  /** The visit's end, epoch ms; pass it when checking many nurses against one order (hot path). */
  visitEndMs?: number;
  item: CatalogItem;
  nowMs: number;
  maxPositionAgeMs: number;
  radiusMeters: number;
  /** Exact distance to the patient, when the nurse has a position. */
  distanceMeters?: number;
}

// Matching checks each nearby nurse per query; parsing date strings every time would
// cost more than the geo search itself, so expiry days are parsed once per certificate.
const expiryMsCache = new WeakMap<object, number>();
/** A certificate is valid through the whole of its expiry day (UTC), as epoch ms. */
export function certificationExpiryMs(cert: { expiresOn: string }): number {
  let ms = expiryMsCache.get(cert);
  if (ms === undefined) expiryMsCache.set(cert, (ms = Date.parse(`${cert.expiresOn}T23:59:59.999Z`)));
  return ms;
}
const expiryMs = certificationExpiryMs;

const TITLE_RANK: Record<string, number> = Object.fromEntries(TITLES.map((t, i) => [t, i]));

/** The rules that depend on the profile alone (title, years, training, suspension), whatever the order. */
export function isProfileQualified(nurse: Nurse): boolean {
  return !nurse.suspended && nurse.homeServiceTrained && (TITLE_RANK[nurse.title] ?? -1) >= MIN_TITLE_RANK && nurse.yearsExperience >= MIN_YEARS_EXPERIENCE;
}

/**
 * True when a nurse may be offered the order. The same rules as ineligibilityReasons,
 * written without allocation because matching calls it for every nearby nurse inside the
 * ring search; a test holds the two to the same answers.
 */
export function isEligible(entry: NurseEntry | undefined, ctx: EligibilityContext): boolean {
  const nurse = entry?.nurse;
  if (!entry || !nurse) return false;
  if (nurse.institutionId !== ctx.order.institutionId || !isProfileQualified(nurse)) return false;
  if (entry.presence?.status !== 'available' || !entry.position) return false;
  if (ctx.nowMs - entry.position.atMs > ctx.maxPositionAgeMs) return false;
  if (ctx.distanceMeters !== undefined && ctx.distanceMeters > ctx.radiusMeters) return false;
  const required = ctx.item.requiredCertification;
  if (required) {
    const certs = nurse.certifications;
    let found: { expiresOn: string } | undefined;
    for (let i = 0; i < certs.length && !found; i++) if (certs[i]!.code === required) found = certs[i];
    if (!found) return false;
    const visitEndMs = Math.max(ctx.nowMs, ctx.visitEndMs ?? Date.parse(ctx.order.window.endAt));
    if (expiryMs(found) < visitEndMs) return false;
  }
  return true;
}

/** Every rule a nurse fails for an order (or only the first, with `firstOnly`); empty means she may be offered it. */
export function ineligibilityReasons(entry: NurseEntry | undefined, ctx: EligibilityContext, firstOnly = false): IneligibilityReason[] {
  const reasons: IneligibilityReason[] = [];
  const nurse = entry?.nurse;
  if (!nurse) return ['not_registered'];
  const fail = (r: IneligibilityReason) => reasons.push(r) > 0 && firstOnly;
  if (nurse.institutionId !== ctx.order.institutionId && fail('other_institution')) return reasons;
  if (TITLES.indexOf(nurse.title) < MIN_TITLE_RANK && fail('title_below_nurse_practitioner')) return reasons;
  if (nurse.yearsExperience < MIN_YEARS_EXPERIENCE && fail('under_5_years')) return reasons;
  if (!nurse.homeServiceTrained && fail('not_trained')) return reasons;
  if (nurse.suspended && fail('suspended')) return reasons;
  const required = ctx.item.requiredCertification;
  if (required) {
    const cert = nurse.certifications.find((c) => c.code === required);
    // Valid through the whole expiry day, judged at the visit's end: a certificate
    // that lapses mid-visit does not cover it.
    const visitEndMs = Math.max(ctx.nowMs, ctx.visitEndMs ?? Date.parse(ctx.order.window.endAt));
    if (!cert) {
      if (fail('missing_certification')) return reasons;
    } else if (expiryMs(cert) < visitEndMs && fail('certification_expired')) return reasons;
  }
  const status = entry.presence?.status;
  if (status === 'busy') {
    if (fail('busy')) return reasons;
  } else if (status !== 'available' && fail('not_online')) return reasons;
  if (!entry.position) fail('no_position');
  else {
    if (ctx.nowMs - entry.position.atMs > ctx.maxPositionAgeMs && fail('position_stale')) return reasons;
    if (ctx.distanceMeters !== undefined && ctx.distanceMeters > ctx.radiusMeters) fail('too_far');
  }
  return reasons;
}
