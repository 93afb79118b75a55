import { RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsSubjects } from '@nursing/contracts';

/**
 * How long JetStream remembers a raise's id to drop a retried publish. An app retries
 * for minutes at most; past the window the alarms service's Redis state still makes a
 * late retry the same alarm, so the window only saves work.
 */
export const ALARM_DUPLICATE_WINDOW_MS = 60 * 60_000;

/** Raises are kept a week after handling: enough to investigate an incident from the stream itself. */
export const ALARM_STREAM_MAX_AGE_MS = 7 * 86_400_000;

export interface AlarmsStreamNames {
  streamName: string;
  subjects: Pick<NatsSubjects, 'allAlarmRaises'>;
  /** Copies on a NATS cluster (NATS_STREAM_REPLICAS); 1 on a single server. */
  replicas?: number;
}

/** The ALARMS stream's configuration: file storage, so a stored raise survives a nats-server restart. */
export function alarmsStreamConfig(names: AlarmsStreamNames): Partial<StreamConfig> & { name: string } {
  return {
    name: names.streamName,
    subjects: [names.subjects.allAlarmRaises],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(ALARM_STREAM_MAX_AGE_MS),
    duplicate_window: nanos(ALARM_DUPLICATE_WINDOW_MS),
    num_replicas: names.replicas ?? 1,
  };
}

/**
 * Creates the ALARMS stream if missing. Safe to call from every gateway and alarms
 * instance at once: a lost creation race is checked again rather than reported.
 */
export async function ensureAlarmsStream(jsm: JetStreamManager, names: AlarmsStreamNames): Promise<void> {
  try {
    await jsm.streams.info(names.streamName);
    return;
  } catch {
    // missing (or JetStream briefly unavailable): try to create it below
  }
  try {
    await jsm.streams.add(alarmsStreamConfig(names));
  } catch (err) {
    // Another instance created it meanwhile; anything else is a real failure.
    await jsm.streams.info(names.streamName).catch(() => {
      throw err;
    });
  }
}
