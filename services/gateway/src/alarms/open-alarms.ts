import type { Redis } from 'ioredis';
import type { Alarm, RedisKeys } from '@nursing/contracts';

/**
 * Unresolved alarms from the alarms service's Redis state, oldest first, optionally
 * filtered. Costs one ZCARD when there are none, which is nearly always.
 */
export async function openAlarmsOf(redis: Redis, keys: RedisKeys, filter: (alarm: Alarm) => boolean = () => true): Promise<Alarm[]> {
  if ((await redis.zcard(keys.openAlarms)) === 0) return [];
  const ids = await redis.zrange(keys.openAlarms, '0', '-1');
  const raws = await Promise.all(ids.map((id) => redis.get(keys.alarm(id))));
  return raws.flatMap((raw) => {
    const alarm = parse(raw);
    return alarm && alarm.status !== 'resolved' && filter(alarm) ? [alarm] : [];
  });
}

/** A corrupt entry must not keep every desk from getting its snapshot. */
function parse(raw: string | null): Alarm | undefined {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as Alarm;
  } catch {
    return undefined;
  }
}
