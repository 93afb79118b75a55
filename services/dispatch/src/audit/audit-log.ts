import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { AuditEntry, NatsSubjects } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import { createAuditOutbox, type OutboxItem } from './audit-outbox.ts';

export interface AuditLogDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: NatsSubjects;
  streamName: string;
  /** Copies of the stream on a NATS cluster (NATS_STREAM_REPLICAS); 1 on a single server. */
  replicas?: number;
  /** Where entries wait while JetStream cannot take them (see audit-outbox.ts). */
  outbox: { redis: Redis; key: string; nc: NatsConnection; log: Logger; pollMs?: number };
}

/** An append normally takes a millisecond; past this JetStream is in trouble and the entry waits in the outbox. */
const PUBLISH_TIMEOUT_MS = 2_000;
const MSG_ID_HEADER = 'Nats-Msg-Id';


/**
 * The regulations' "full trace": every transition and every disclosure of patient
 * data, appended to a JetStream stream on file storage, one subject per order so an
 * order's timeline is read back in order without scanning others.
 */
export function createAuditLog(deps: AuditLogDeps) {
  const { js, jsm, subjects, streamName, replicas = 1 } = deps;
  const { nc, log } = deps.outbox;
  const publish = async (item: OutboxItem): Promise<void> => {
    await js.publish(item.subject, item.data, { msgID: item.msgId, timeout: PUBLISH_TIMEOUT_MS });
  };
  const outbox = createAuditOutbox({ redis: deps.outbox.redis, key: deps.outbox.key, publish, log, ...(deps.outbox.pollMs ? { pollMs: deps.outbox.pollMs } : {}) });
  // While the connection is down an append would only wait for its timeout: go straight to the outbox.
  let connected = true;
  let statusWatch: { stop(): void } | undefined;

  return {
    /** Starts draining the outbox (every instance does; see audit-outbox.ts). */
    start(): void {
      // The iterator nats.js returns has stop(); its declared type does not say so.
      const status = nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
      statusWatch = { stop: () => status.stop?.() };
      void (async () => {
        for await (const s of status) {
          if (s.type === 'disconnect') connected = false;
          else if (s.type === 'reconnect') connected = true;
        }
      })();
      outbox.start();
    },
    async stop(): Promise<void> {
      statusWatch?.stop();
      await outbox.stop();
    },
    drainOutbox: () => outbox.drainOnce(),

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

    /**
     * Appends once JetStream has stored the entry or, when it cannot, once the entry is in
     * the outbox to be appended later (with the same message id, so an append that did
     * get through despite a timeout is not stored twice). Throws only when both fail.
     */
    async append(entry: AuditEntry): Promise<void> {
      const item: OutboxItem = { msgId: randomUUID(), subject: subjects.audit(entry.orderId), data: JSON.stringify(entry) };
      if (connected) {
        try {
          await publish(item);
          return;
        } catch (err) {
          log.warn({ err: { message: (err as Error).message }, orderId: entry.orderId }, 'audit append deferred to the outbox');
        }
      }
      await outbox.push(item);
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
        const seen = new Set<string>();
        const batch = await c.fetch({ max_messages: pending, expires: 2_000 });
        for await (const m of batch) {
          // Outside JetStream's duplicate window a late outbox append can repeat an entry.
          const id = m.headers?.get(MSG_ID_HEADER);
          if (!id || !seen.has(id)) entries.push(m.json<AuditEntry>());
          if (id) seen.add(id);
          if (m.info.pending === 0) break;
        }
        // Entries that waited in the outbox were stored after later ones; time puts them back in place.
        return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      } finally {
        await jsm.consumers.delete(streamName, consumer.name).catch(() => undefined);
      }
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
