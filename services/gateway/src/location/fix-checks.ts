import { ValidationError, type NursePosition } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';

/** A phone clock this far ahead is wrong, and its fixes would shadow every later one. */
export const MAX_CLOCK_SKEW_MS = 60_000;
/** Faster than any car in a city: a fix implying this is a GPS jump, not a journey. */
export const MAX_SPEED_MPS = 70;

/**
 * Plausibility of a fix the schema already accepted. Throws a ValidationError
 * ('clock skew' or 'impossible speed') for a fix that must not be stored.
 */
export function checkFix(fix: NursePosition, previous: NursePosition | undefined, nowMs: number): void {
  if (fix.atMs > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new ValidationError(`clock skew: fix is ${Math.round((fix.atMs - nowMs) / 1000)} s in the future`);
  }
  if (!previous) return;
  // At least one second apart: two fixes in the same instant a few metres apart are normal jitter.
  const seconds = Math.max(Math.abs(fix.atMs - previous.atMs) / 1000, 1);
  const speed = distanceMeters(previous, fix) / seconds;
  if (speed > MAX_SPEED_MPS) {
    throw new ValidationError(`impossible speed: ${Math.round(speed)} m/s since the previous fix`);
  }
}
