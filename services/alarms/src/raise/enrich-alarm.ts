import type { Redis } from 'ioredis';
import type { Alarm, AlarmRaisedMessage, RedisKeys } from '@nursing/contracts';
import type { PresenceStore } from '@nursing/presence';

export interface EnrichDeps {
  redis: Redis;
  keys: RedisKeys;
  presence: PresenceStore;
}

/**
 * The alarm as the desk first sees it: the raise plus what the desk needs to send help
 * — the nurse's name, her last known position and how old it was when she pressed the
 * button, the order she is serving and that patient's address. Reading the address is
 * a disclosure; the caller records it in the order's audit trail.
 */
export async function enrichAlarm(deps: EnrichDeps, message: AlarmRaisedMessage): Promise<Alarm> {
  const { redis, keys, presence } = deps;
  const raisedAtMs = Date.parse(message.raisedAt);
  const [profile, position, activeOrder] = await Promise.all([
    redis.get(keys.nurse(message.nurseId)),
    presence.getPosition(message.nurseId).catch(ignoreCorrupt),
    message.orderId ? Promise.resolve(message.orderId) : redis.get(keys.activeOrder(message.nurseId)),
  ]);
  const alarm: Alarm = {
    alarmId: message.alarmId,
    nurseId: message.nurseId,
    institutionId: message.institutionId,
    kind: message.kind,
    drill: message.drill,
    status: 'open',
    raisedAt: message.raisedAt,
    source: message.source,
    escalationLevel: 0,
    history: [{ to: 'open', at: message.raisedAt }],
  };
  const name = nameOf(profile);
  if (name) alarm.nurseName = name;
  if (message.note !== undefined) alarm.note = message.note;
  if (position) {
    alarm.lastPosition = { lat: position.lat, lng: position.lng, atMs: position.atMs, ageMs: Math.max(0, raisedAtMs - position.atMs) };
  }
  if (activeOrder) {
    alarm.orderId = activeOrder;
    const address = addressOf(await redis.get(keys.orderPatient(activeOrder)));
    if (address) alarm.patientAddress = address;
  }
  return alarm;
}

/**
 * A corrupt record (not JSON) leaves its field out rather than failing the raise, which
 * would be retried forever and never reach a desk. Connection errors still fail it: the
 * raise is redelivered once Redis answers.
 */
function ignoreCorrupt(err: unknown): undefined {
  if (err instanceof SyntaxError) return undefined;
  throw err;
}

function fieldOf(json: string | null, field: string): string | undefined {
  if (!json) return undefined;
  try {
    const value = (JSON.parse(json) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch (err) {
    return ignoreCorrupt(err);
  }
}

const nameOf = (profile: string | null) => fieldOf(profile, 'name');
const addressOf = (patient: string | null) => fieldOf(patient, 'address');
