import { TITLES, type CatalogItem, type Order } from '@nursing/contracts';
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
  item: CatalogItem;
  nowMs: number;
  maxPositionAgeMs: number;
  radiusMeters: number;
  /** Exact distance to the patient, when the nurse has a position. */
  distanceMeters?: number;
}

/** Every rule a nurse fails for an order; empty means she may be offered it. */
export function ineligibilityReasons(entry: NurseEntry | undefined, ctx: EligibilityContext): IneligibilityReason[] {
  const reasons: IneligibilityReason[] = [];
  const nurse = entry?.nurse;
  if (!nurse) return ['not_registered'];
  if (nurse.institutionId !== ctx.order.institutionId) reasons.push('other_institution');
  if (TITLES.indexOf(nurse.title) < MIN_TITLE_RANK) reasons.push('title_below_nurse_practitioner');
  if (nurse.yearsExperience < MIN_YEARS_EXPERIENCE) reasons.push('under_5_years');
  if (!nurse.homeServiceTrained) reasons.push('not_trained');
  if (nurse.suspended) reasons.push('suspended');
  const required = ctx.item.requiredCertification;
  if (required) {
    const cert = nurse.certifications.find((c) => c.code === required);
    // Valid through the whole expiry day, judged at the visit's end: a certificate
    // that lapses mid-visit does not cover it.
    const visitEndMs = Math.max(ctx.nowMs, Date.parse(ctx.order.window.endAt));
    if (!cert) reasons.push('missing_certification');
    else if (Date.parse(`${cert.expiresOn}T23:59:59.999Z`) < visitEndMs) reasons.push('certification_expired');
  }
  const status = entry.presence?.status;
  if (status === 'busy') reasons.push('busy');
  else if (status !== 'available') reasons.push('not_online');
  if (!entry.position) reasons.push('no_position');
  else {
    if (ctx.nowMs - entry.position.atMs > ctx.maxPositionAgeMs) reasons.push('position_stale');
    if (ctx.distanceMeters !== undefined && ctx.distanceMeters > ctx.radiusMeters) reasons.push('too_far');
  }
  return reasons;
}
