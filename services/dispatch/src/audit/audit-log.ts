import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { AuditEntry, NatsSubjects } from '@nursing/contracts';

export interface AuditLogDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: NatsSubjects;
  streamName: string;
  /** Copies of the stream on a NATS cluster (NATS_STREAM_REPLICAS); 1 on a single server. */
  replicas?: number;
}

/**
 * The regulations' "full trace": every transition and every disclosure of patient
 * data, appended to a JetStream stream on file storage, one subject per order so an
 * order's timeline is read back in order without scanning others.
 */
export function createAuditLog(deps: AuditLogDeps) {
  const { js, jsm, subjects, streamName, replicas = 1 } = deps;

  return {
    /** Creates the stream if missing; safe to call from every instance at start. */
    async ensureStream(): Promise<void> {
      try {
        await jsm.streams.info(streamName);
      } catch {
        await jsm.streams.add({
          name: streamName,
          subjects: [subjects.allAudit],
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          max_age: 0,
          num_replicas: replicas,
        });
      }
    },

    /** Appends once JetStream has stored the entry. */
    async append(entry: AuditEntry): Promise<void> {
      await js.publish(subjects.audit(entry.orderId), JSON.stringify(entry));
    },

    /** The order's entries in the order they were stored. */
    async timeline(orderId: string): Promise<AuditEntry[]> {
      const consumer = await jsm.consumers.add(streamName, {
        filter_subject: subjects.audit(orderId),
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.All,
        inactive_threshold: 30_000_000_000,
        // A throwaway reader: one in-memory copy, so a cluster need not agree on it (and a
        // failover of the stream's peers does not make the read wait for a new quorum).
        num_replicas: 1,
        mem_storage: true,
      });
      try {
        const pending = consumer.num_pending;
        if (pending === 0) return [];
        const c = await js.consumers.get(streamName, consumer.name);
        const entries: AuditEntry[] = [];
        const batch = await c.fetch({ max_messages: pending, expires: 2_000 });
        for await (const m of batch) {
          entries.push(m.json<AuditEntry>());
          if (m.info.pending === 0) break;
        }
        return entries;
      } finally {
        await jsm.consumers.delete(streamName, consumer.name).catch(() => undefined);
      }
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
