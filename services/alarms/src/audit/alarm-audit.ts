import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { AuditEntry, NatsSubjects } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';

/**
 * The audit key of an alarm: its trace lives on the AUDIT stream (subject
 * `audit.alarm-<alarmId>`) next to the orders' traces (`audit.<orderId>`). The prefix
 * keeps an app-chosen alarm id from ever landing in an order's timeline.
 */
export function alarmAuditKey(alarmId: string): string {
  return `alarm-${alarmId}`;
}

export interface AlarmAuditDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: NatsSubjects;
  streamName: string;
  log: Logger;
  /** Copies of the AUDIT stream on a NATS cluster (when this service is the one creating it). */
  replicas?: number;
}

/**
 * Appends alarm transitions (and disclosures of a patient's address to the security
 * desk) to the AUDIT stream. Each entry carries a message id, so the repeat of a step
 * after a crash is dropped by JetStream instead of appearing twice in the trace.
 * An audit failure is logged loudly but never holds up an alarm.
 */
export function createAlarmAudit(deps: AlarmAuditDeps) {
  const { js, jsm, subjects, streamName, log, replicas = 1 } = deps;

  return {
    /** Same stream as dispatch's audit log; whichever service starts first creates it. */
    async ensureStream(): Promise<void> {
      try {
        await jsm.streams.info(streamName);
        return;
      } catch {
        // missing: create below
      }
      try {
        await jsm.streams.add({ name: streamName, subjects: [subjects.allAudit], storage: StorageType.File, retention: RetentionPolicy.Limits, max_age: 0, num_replicas: replicas });
      } catch (err) {
        await jsm.streams.info(streamName).catch(() => {
          throw err;
        });
      }
    },

    /** `dedupeId` names the step (e.g. `alarm-<id>-raised`): the same step is stored once. */
    async append(entry: AuditEntry, dedupeId: string): Promise<void> {
      try {
        await js.publish(subjects.audit(entry.orderId), JSON.stringify(entry), { msgID: dedupeId });
      } catch (err) {
        log.error({ err, auditKey: entry.orderId, action: entry.action }, 'audit append failed');
      }
    },

    /** Every entry of one audit key, in the order stored. */
    async trail(auditKey: string): Promise<AuditEntry[]> {
      const info = await jsm.consumers.add(streamName, {
        filter_subject: subjects.audit(auditKey),
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.All,
        inactive_threshold: 30_000_000_000,
      });
      try {
        if (info.num_pending === 0) return [];
        const consumer = await js.consumers.get(streamName, info.name);
        const entries: AuditEntry[] = [];
        for await (const m of await consumer.fetch({ max_messages: info.num_pending, expires: 2_000 })) {
          entries.push(m.json<AuditEntry>());
          if (m.info.pending === 0) break;
        }
        return entries;
      } finally {
        await jsm.consumers.delete(streamName, info.name).catch(() => undefined);
      }
    },
  };
}

export type AlarmAudit = ReturnType<typeof createAlarmAudit>;
