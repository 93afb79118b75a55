import { ForbiddenError, type AlarmRaise, type AlarmRaisedMessage, type TokenClaims } from '@nursing/contracts';

/** An app clock further ahead than this is not believed. */
const MAX_CLOCK_AHEAD_MS = 5_000;
/** A raise queued on the phone longer than this is dated when it arrived. */
const MAX_QUEUED_MS = 86_400_000;

/**
 * What is stored for a raise from a nurse's app. Who raised it comes from her token,
 * never from the body. The time is when she pressed the button (the app's clock, which
 * matters when she had no coverage), unless that clock is implausible.
 */
export function raisedMessageOf(
  raise: AlarmRaise,
  claims: Pick<TokenClaims, 'sub' | 'institution'>,
  source: 'socket' | 'http',
  nowMs: number,
): AlarmRaisedMessage {
  if (!claims.institution) throw new ForbiddenError('a nurse token must name her institution');
  const pressedAt = raise.atMs !== undefined && raise.atMs <= nowMs + MAX_CLOCK_AHEAD_MS && raise.atMs >= nowMs - MAX_QUEUED_MS ? raise.atMs : nowMs;
  const message: AlarmRaisedMessage = {
    alarmId: raise.alarmId,
    nurseId: claims.sub,
    institutionId: claims.institution,
    kind: raise.kind ?? 'panic',
    drill: raise.drill ?? false,
    raisedAt: new Date(pressedAt).toISOString(),
    source,
  };
  if (raise.note !== undefined) message.note = raise.note;
  return message;
}
