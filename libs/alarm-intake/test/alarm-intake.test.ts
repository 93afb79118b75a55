import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsSubjects, streamNames, type AlarmRaisedMessage } from '@nursing/contracts';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { ALARM_DUPLICATE_WINDOW_MS, ensureAlarmsStream, publishAlarmRaise, raisedMessageOf } from '../src/index.ts';

let infra: SharedInfra;
let nc: NatsConnection;
beforeAll(async () => {
  infra = await useSharedInfra();
  nc = await connect({ servers: infra.natsUrl });
});
afterAll(async () => {
  await nc?.close();
  await infra?.cleanup();
});

const message = (alarmId: string): AlarmRaisedMessage => ({
  alarmId,
  nurseId: 'n1',
  institutionId: 'i1',
  kind: 'panic',
  drill: false,
  raisedAt: new Date().toISOString(),
  source: 'socket',
});

describe('alarm intake', () => {
  it('creates the ALARMS stream on file storage with a duplicate window, from many instances at once', async () => {
    const jsm = await jetstreamManager(nc);
    const names = { streamName: streamNames(infra.ns).alarms, subjects: natsSubjects(infra.ns) };
    await Promise.all(Array.from({ length: 5 }, () => ensureAlarmsStream(jsm, names)));
    const info = await jsm.streams.info(names.streamName);
    expect(info.config.storage).toBe(StorageType.File);
    expect(info.config.subjects).toEqual([names.subjects.allAlarmRaises]);
    expect(info.config.duplicate_window).toBe(nanos(ALARM_DUPLICATE_WINDOW_MS));
  });

  it('stores a raise once per alarm id; a retry is answered as a duplicate', async () => {
    const js = jetstream(nc);
    const subjects = natsSubjects(infra.ns);
    const answers = await Promise.all(Array.from({ length: 5 }, () => publishAlarmRaise(js, subjects, message('alarm-dup-0001'))));
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(streamNames(infra.ns).alarms)).state.messages).toBe(1);
  });

  it('refuses to store a malformed raise', async () => {
    await expect(publishAlarmRaise(jetstream(nc), natsSubjects(infra.ns), { ...message('bad id!'), kind: 'fire' as 'panic' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('takes who raised it from the token and believes the app clock only within reason', () => {
    const now = Date.parse('2030-01-01T10:00:00Z');
    const claims = { sub: 'n1', institution: 'i1' };
    expect(raisedMessageOf({ alarmId: 'abcdefgh' }, claims, 'socket', now)).toEqual({
      alarmId: 'abcdefgh',
      nurseId: 'n1',
      institutionId: 'i1',
      kind: 'panic',
      drill: false,
      raisedAt: '2030-01-01T10:00:00.000Z',
      source: 'socket',
    });
    expect(raisedMessageOf({ alarmId: 'abcdefgh', atMs: now - 90_000 }, claims, 'http', now).raisedAt).toBe('2030-01-01T09:58:30.000Z');
    expect(raisedMessageOf({ alarmId: 'abcdefgh', atMs: now + 3_600_000 }, claims, 'http', now).raisedAt).toBe('2030-01-01T10:00:00.000Z');
    expect(raisedMessageOf({ alarmId: 'abcdefgh', atMs: 0 }, claims, 'http', now).raisedAt).toBe('2030-01-01T10:00:00.000Z');
    expect(() => raisedMessageOf({ alarmId: 'abcdefgh' }, { sub: 'n1' }, 'socket', now)).toThrow(/institution/);
  });
});
