import type { Redis, Result } from 'ioredis';
import type { Alarm, RedisKeys } from '@nursing/contracts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    alarmCompareAndSet(key: string, expected: string, next: string): Result<number, Context>;
  }
}

/** Replaces the alarm only if nobody changed it since it was read: concurrent desks and instances cannot both win. */
const COMPARE_AND_SET_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** An alarm as read, with the exact text it was read as (the compare-and-set token). */
export interface StoredAlarm {
  alarm: Alarm;
  raw: string;
}

/**
 * Alarm state in Redis: one JSON string per alarm (its own hash tag), a sorted set of
 * unresolved alarms and one of all alarms, both by raise time. Every change is a
 * compare-and-set of the whole JSON, so the transition logic stays plain TypeScript.
 */
export function createAlarmStore(deps: { redis: Redis; keys: RedisKeys }) {
  const { redis, keys } = deps;
  if (typeof (redis as { alarmCompareAndSet?: unknown }).alarmCompareAndSet !== 'function') {
    redis.defineCommand('alarmCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET_LUA });
  }
  const parse = (raw: string): StoredAlarm => ({ alarm: JSON.parse(raw) as Alarm, raw });

  async function read(alarmId: string): Promise<StoredAlarm | undefined> {
    const raw = await redis.get(keys.alarm(alarmId));
    return raw === null ? undefined : parse(raw);
  }

  async function get(alarmId: string): Promise<Alarm | undefined> {
    return (await read(alarmId))?.alarm;
  }

  return {
    read,
    get,

    /** Stores the alarm unless one with its id exists; either way returns what is stored and whether this call created it. */
    async createIfAbsent(alarm: Alarm): Promise<StoredAlarm & { created: boolean }> {
      const raw = JSON.stringify(alarm);
      if ((await redis.set(keys.alarm(alarm.alarmId), raw, 'NX')) === 'OK') return { alarm, raw, created: true };
      const existing = await read(alarm.alarmId);
      if (!existing) throw new Error(`alarm ${alarm.alarmId} vanished while being created`);
      return { ...existing, created: false };
    },

    /** Writes `next` if the alarm is still exactly `current`; false when someone changed it first. */
    async compareAndSet(current: StoredAlarm, next: Alarm): Promise<StoredAlarm | undefined> {
      const raw = JSON.stringify(next);
      const done = await redis.alarmCompareAndSet(keys.alarm(next.alarmId), current.raw, raw);
      return done === 1 ? { alarm: next, raw } : undefined;
    },

    /**
     * Puts the alarm in the listings. Separate from the create (the sets live on other
     * Redis Cluster slots), so it is repeated on every redelivery until announced, and
     * checked again afterwards so a resolve that raced it does not leave it listed as open.
     */
    async index(alarm: Alarm): Promise<void> {
      const score = Date.parse(alarm.raisedAt);
      await redis.zadd(keys.allAlarms, 'NX', score, alarm.alarmId);
      if (alarm.status === 'resolved') return;
      await redis.zadd(keys.openAlarms, 'NX', score, alarm.alarmId);
      const now = await get(alarm.alarmId);
      if (now?.status === 'resolved') await redis.zrem(keys.openAlarms, alarm.alarmId);
    },

    async removeFromOpen(alarmId: string): Promise<void> {
      await redis.zrem(keys.openAlarms, alarmId);
    },

    async isAnnounced(alarmId: string): Promise<boolean> {
      return (await redis.exists(keys.alarmAnnounced(alarmId))) === 1;
    },

    async markAnnounced(alarmId: string): Promise<void> {
      await redis.set(keys.alarmAnnounced(alarmId), '1');
    },

    /** Unresolved alarms, oldest first. */
    async listOpen(): Promise<Alarm[]> {
      const ids = await redis.zrange(keys.openAlarms, '0', '-1');
      return present(await Promise.all(ids.map(get)));
    },

    /** Alarms raised in [fromMs, toMs], newest first, at most `limit`. */
    async listRaisedBetween(fromMs: number, toMs: number, limit: number): Promise<Alarm[]> {
      const ids = await redis.zrevrangebyscore(keys.allAlarms, String(toMs), String(fromMs), 'LIMIT', 0, limit);
      return present(await Promise.all(ids.map(get)));
    },
  };
}

export type AlarmStore = ReturnType<typeof createAlarmStore>;

function present(alarms: (Alarm | undefined)[]): Alarm[] {
  return alarms.filter((a): a is Alarm => a !== undefined);
}
