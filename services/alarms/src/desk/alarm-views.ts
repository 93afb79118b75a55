import { ForbiddenError, withoutPatientAddress, type Alarm, type TokenClaims } from '@nursing/contracts';

/**
 * What a caller may see of an alarm: security and admin everything; a coordinator the
 * alarms of her institution without the address; a nurse her own alarms.
 */
export function alarmFor(claims: TokenClaims, alarm: Alarm): Alarm {
  switch (claims.role) {
    case 'security':
    case 'admin':
      return alarm;
    case 'coordinator':
      if (claims.institution !== alarm.institutionId) throw new ForbiddenError('outside your institution');
      return withoutPatientAddress(alarm);
    case 'nurse':
      if (claims.sub !== alarm.nurseId) throw new ForbiddenError('not your alarm');
      return withoutPatientAddress(alarm);
    default:
      throw new ForbiddenError();
  }
}

/** Whether a listing for this caller includes the alarm. */
export function visibleTo(claims: TokenClaims, alarm: Alarm): boolean {
  if (claims.role === 'security' || claims.role === 'admin') return true;
  if (claims.role === 'coordinator') return claims.institution === alarm.institutionId;
  return false;
}
