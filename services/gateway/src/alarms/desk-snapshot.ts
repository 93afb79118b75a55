import type { Redis } from 'ioredis';
import type { AlarmsSnapshotFrame, RedisKeys } from '@nursing/contracts';
import type { PresenceStore } from '@nursing/presence';
import { openAlarmsOf } from './open-alarms.ts';

/**
 * A desk's first frame: every unresolved alarm, oldest first, each with the nurse's
 * trail since the alarm was raised (or since her last fix before it, when she has not
 * moved since), so a desk that connects late sees where she went.
 */
export async function readDeskSnapshot(deps: { redis: Redis; keys: RedisKeys; presence: PresenceStore }): Promise<AlarmsSnapshotFrame> {
  const alarms = await openAlarmsOf(deps.redis, deps.keys);
  const trails: AlarmsSnapshotFrame['trails'] = {};
  await Promise.all(
    alarms.map(async (alarm) => {
      const since = Math.min(Date.parse(alarm.raisedAt), alarm.lastPosition?.atMs ?? Number.MAX_SAFE_INTEGER);
      const trail = await deps.presence.readTrail(alarm.nurseId, since);
      trails[alarm.alarmId] = trail.map((p) => ({ lat: p.lat, lng: p.lng, atMs: p.atMs }));
    }),
  );
  return { type: 'alarms.snapshot', alarms, trails };
}
