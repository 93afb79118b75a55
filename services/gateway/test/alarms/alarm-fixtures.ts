import type { Redis } from 'ioredis';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsSubjects, type Alarm, type AlarmEvent, type AlarmEventName, type RedisKeys } from '@nursing/contracts';

/** An alarm as the alarms service stores it; `version` extra history entries make it newer. */
export function alarmFixture(overrides: Partial<Alarm> = {}, extraHistory: Alarm['history'] = []): Alarm {
  const raisedAt = overrides.raisedAt ?? new Date().toISOString();
  return {
    alarmId: 'alarm-0001',
    nurseId: 'n1',
    nurseName: 'Nurse n1',
    institutionId: 'inst-a',
    kind: 'panic',
    drill: false,
    status: 'open',
    raisedAt,
    source: 'socket',
    escalationLevel: 0,
    orderId: 'o-1',
    patientAddress: '88 Century Avenue, flat 1203',
    history: [{ to: 'open', at: raisedAt }, ...extraHistory],
    ...overrides,
  };
}

/** Writes the alarm where the alarms service keeps it and lists it as unresolved. */
export async function storeOpenAlarm(redis: Redis, keys: RedisKeys, alarm: Alarm): Promise<void> {
  await redis.set(keys.alarm(alarm.alarmId), JSON.stringify(alarm));
  if (alarm.status === 'resolved') await redis.zrem(keys.openAlarms, alarm.alarmId);
  else await redis.zadd(keys.openAlarms, Date.parse(alarm.raisedAt), alarm.alarmId);
}

/** Publishes an alarm event as the alarms service does. */
export function publishAlarmEvent(nc: NatsConnection, ns: string, event: AlarmEventName, alarm: Alarm): void {
  const body: AlarmEvent = { type: 'alarm', event, alarm };
  nc.publish(natsSubjects(ns).alarmEvent(alarm.institutionId, alarm.alarmId), JSON.stringify(body));
}
