import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { alarmVersion, type Alarm, type AlarmEvent, type AlarmPositionFrame, type NatsSubjects, type NursePosition, type RedisKeys } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import { eventOfLatestChange, parseAlarmEvent } from './alarm-event-of.ts';
import { openAlarmsOf } from './open-alarms.ts';
import { createFollowedPositions } from './followed-positions.ts';

/** One security desk socket as the feed sees it. */
export interface DeskListener {
  /** An alarm event; `event` is undefined for a message the gateway does not know, forwarded as it is. */
  onEvent(text: string, event: AlarmEvent | undefined): void;
  onPosition(frame: AlarmPositionFrame): void;
}

export interface SecurityFeedDeps {
  nc: NatsConnection;
  redis: Redis;
  keys: RedisKeys;
  subjects: NatsSubjects;
  log: Logger;
  /** A nurse's latest stored position (the presence store's getPosition): where to look for her. */
  locate: (nurseId: string) => Promise<NursePosition | undefined>;
  /** How often Redis is compared with what was forwarded, to catch an event core NATS lost. */
  resyncMs?: number;
}

interface Known {
  version: number;
  nurseId: string;
  resolved: boolean;
}

/**
 * What every security desk on this gateway instance shares: one subscription to all
 * alarm events, the positions of every nurse with an unresolved alarm
 * (followed-positions.ts: the cells around each), and a periodic comparison with the
 * alarms service's Redis state that re-sends a change core NATS dropped (during a NATS
 * restart, say) and finds a followed nurse who moved out of sight. Runs only while at
 * least one desk is connected.
 */
export function createSecurityFeed(deps: SecurityFeedDeps) {
  const { nc, redis, keys, subjects, log } = deps;
  const resyncMs = deps.resyncMs ?? 2_000;
  const desks = new Set<DeskListener>();
  const known = new Map<string, Known>();
  let events: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;

  const followed = createFollowedPositions({
    nc,
    subjects,
    log,
    locate: deps.locate,
    onPosition: (p) => {
      for (const [alarmId, k] of known) {
        if (k.nurseId !== p.nurseId || k.resolved) continue;
        const frame: AlarmPositionFrame = { type: 'alarm.position', alarmId, nurseId: p.nurseId, lat: p.lat, lng: p.lng, atMs: p.atMs };
        for (const desk of desks) desk.onPosition(frame);
      }
    },
  });

  function unfollowIfDone(nurseId: string): void {
    for (const k of known.values()) if (k.nurseId === nurseId && !k.resolved) return;
    followed.unfollow(nurseId);
  }

  /** Records a change; false when it is not newer than what this instance already forwarded. */
  function learn(alarm: Alarm): boolean {
    const version = alarmVersion(alarm);
    const before = known.get(alarm.alarmId);
    if (before && before.version >= version) return false;
    const resolved = alarm.status === 'resolved';
    known.set(alarm.alarmId, { version, nurseId: alarm.nurseId, resolved });
    if (resolved) unfollowIfDone(alarm.nurseId);
    else followed.follow(alarm.nurseId, alarm.lastPosition);
    return true;
  }

  function broadcast(text: string, event: AlarmEvent | undefined): void {
    for (const desk of desks) desk.onEvent(text, event);
  }

  async function resync(): Promise<void> {
    const open = await openAlarmsOf(redis, keys);
    const openIds = new Set(open.map((a) => a.alarmId));
    const changed: Alarm[] = open.filter((a) => (known.get(a.alarmId)?.version ?? 0) < alarmVersion(a));
    for (const [alarmId, k] of known) {
      if (k.resolved || openIds.has(alarmId)) continue;
      const raw = await redis.get(keys.alarm(alarmId));
      if (raw) changed.push(JSON.parse(raw) as Alarm);
    }
    for (const alarm of changed) {
      if (!learn(alarm)) continue;
      const event: AlarmEvent = { type: 'alarm', event: eventOfLatestChange(alarm), alarm };
      broadcast(JSON.stringify(event), event);
    }
    // Resolved alarms are forgotten once Redis no longer lists them: their desks have the resolve.
    for (const [alarmId, k] of known) if (k.resolved && !openIds.has(alarmId)) known.delete(alarmId);
    await followed.relocate();
  }

  async function start(): Promise<void> {
    events = nc.subscribe(subjects.allAlarmEvents, {
      callback: (err, msg) => {
        if (err) return;
        const { text, event } = parseAlarmEvent(msg.data);
        if (event && !learn(event.alarm)) {
          // Already forwarded by this instance: desks would drop it anyway.
          return;
        }
        broadcast(text, event);
      },
    });
    // The server has the subscription before any desk reads its snapshot: nothing falls in between.
    await nc.flush();
    for (const alarm of await openAlarmsOf(redis, keys)) learn(alarm);
    timer = setInterval(() => {
      resync().catch((err: unknown) => log.warn({ err }, 'alarm resync failed'));
    }, resyncMs);
    timer.unref();
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    events?.unsubscribe();
    events = undefined;
    followed.stop();
    known.clear();
    starting = undefined;
  }

  return {
    /** Adds a desk, starting the feed for the first one; resolves once events can no longer be missed. */
    async attach(desk: DeskListener): Promise<() => void> {
      desks.add(desk);
      try {
        await (starting ??= start());
      } catch (err) {
        desks.delete(desk);
        if (desks.size === 0) stop();
        throw err;
      }
      return () => {
        desks.delete(desk);
        if (desks.size === 0) stop();
      };
    },
  };
}

export type SecurityFeed = ReturnType<typeof createSecurityFeed>;
