import type { Nurse, NurseListQuery } from '@nursing/contracts';

/** What a coordinator can narrow a nurse list by; every given field must hold. */
export type NurseFilter = Omit<NurseListQuery, 'institutionId'>;

/**
 * True when the nurse passes every given criterion. A certification counts only while
 * valid: through its expiry day (`today` as YYYY-MM-DD, UTC).
 */
export function matchesNurseFilter(nurse: Nurse, filter: NurseFilter, today: string): boolean {
  if (filter.title !== undefined && nurse.title !== filter.title) return false;
  if (filter.minYears !== undefined && nurse.yearsExperience < filter.minYears) return false;
  if (filter.specialtyGroup !== undefined && !nurse.specialtyGroups.includes(filter.specialtyGroup)) return false;
  if (filter.suspended !== undefined && nurse.suspended !== filter.suspended) return false;
  if (filter.homeServiceTrained !== undefined && nurse.homeServiceTrained !== filter.homeServiceTrained) return false;
  if (filter.certification !== undefined && !nurse.certifications.some((c) => c.code === filter.certification && c.expiresOn >= today)) {
    return false;
  }
  return true;
}
