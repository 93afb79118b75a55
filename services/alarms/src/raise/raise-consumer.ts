import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { AlarmRaisedMessage, compileSchema, type NatsSubjects } from '@nursing/contracts';
import { ensureAlarmsStream } from '@nursing/alarm-intake';
import type { Logger } from '@nursing/logging';

const validator = compileSchema(AlarmRaisedMessage);

/** A failed raise (Redis briefly gone) is offered again after this long, not in a tight loop. */
const RETRY_DELAY_MS = 1_000;
const MAX_IN_FLIGHT = 64;
/**
 * Where NATS announces a new leader for a consumer. If the node leading the alarm consumer
 * dies, the pending pull dies with it and nothing says so: the library notices only after
 * two missed heartbeats (15 s each by default) and then retries on a 30 s backoff, so raises
 * sat on the stream for about 30 s. The advisory comes the moment the new leader is elected
 * (4-9 s in nats-server), and the instance pulls again from it at once. Shorter pull expiries
 * or heartbeats found the loss sooner but not the new leader, and pulls expiring every 2 s
 * showed in the alarm latency under load.
 */
const leaderElected = (stream: string, consumer: string) => `$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.${stream}.${consumer}`;

export interface RaiseConsumerDeps {
  /** For the consumer's leader-elected advisories. */
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  subjects: NatsSubjects;
  streamName: string;
  /** Copies of the ALARMS stream on a NATS cluster. */
  replicas?: number;
  durableName: string;
  ackWaitMs: number;
  log: Logger;
  handle: (message: AlarmRaisedMessage) => Promise<unknown>;
}

/**
 * Takes stored raises from the ALARMS stream through one durable pull consumer shared
 * by every alarms instance (each raise goes to one of them at a time). A raise is acked
 * only after it was handled; an instance that dies holding one leaves it unacked and
 * JetStream hands it to another after ACK_WAIT. Deliveries are unlimited: an alarm is
 * never dropped for having failed too often.
 */
/** Pause before consuming again after the consumer failed. */
const RESTART_DELAY_MS = 1_000;

export function createRaiseConsumer(deps: RaiseConsumerDeps) {
  const { nc, js, jsm, subjects, streamName, durableName, ackWaitMs, log, handle, replicas = 1 } = deps;
  let messages: ConsumerMessages | undefined;
  let loop: Promise<void> | undefined;
  const inFlight = new Set<Promise<void>>();

  async function ensureConsumer(): Promise<void> {
    const ackWait = nanos(ackWaitMs);
    try {
      const info = await jsm.consumers.info(streamName, durableName);
      if (info.config.ack_wait !== ackWait) await jsm.consumers.update(streamName, durableName, { ack_wait: ackWait });
      return;
    } catch (err) {
      if (!/not found/i.test((err as Error).message)) throw err;
    }
    try {
      await jsm.consumers.add(streamName, {
        durable_name: durableName,
        ack_policy: AckPolicy.Explicit,
        ack_wait: ackWait,
        max_deliver: -1,
        deliver_policy: DeliverPolicy.All,
        filter_subject: subjects.allAlarmRaises,
        max_ack_pending: 1_000,
      });
    } catch (err) {
      // Another instance created it at the same moment.
      await jsm.consumers.info(streamName, durableName).catch(() => {
        throw err;
      });
    }
  }

  function process(m: JsMsg): void {
    let message: AlarmRaisedMessage;
    try {
      message = validator.parseJson(m.data, 'stored alarm raise');
    } catch (err) {
      // Only publishAlarmRaise writes here and it validates first: this is a bug, not an alarm.
      log.error({ err, seq: m.seq }, 'malformed alarm raise on the stream; dropped');
      m.term('malformed');
      return;
    }
    const job = handle(message)
      .then(() => m.ack())
      .catch((err: unknown) => {
        log.error({ err, alarmId: message.alarmId, deliveries: m.info.deliveryCount }, 'alarm raise not handled; will be redelivered');
        m.nak(RETRY_DELAY_MS);
      })
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
  }

  let stopping = false;
  let newLeader = false;
  let elected: Subscription | undefined;

  /**
   * Consumes until stopped. If the iterator ends or fails (the consumer's leader died
   * with its NATS node and the cluster is electing another, or the consumer was
   * removed), it starts over after a pause: an alarms instance must never sit idle
   * while raises wait on the stream.
   */
  async function consumeForever(): Promise<void> {
    while (!stopping) {
      try {
        await ensureConsumer();
        const consumer = await js.consumers.get(streamName, durableName);
        newLeader = false;
        messages = await consumer.consume({ max_messages: MAX_IN_FLIGHT });
        for await (const m of messages) process(m);
        if (newLeader && !stopping) {
          log.warn('alarm raise consumer has a new leader; pulling from it');
          continue;
        }
        if (!stopping) log.warn('alarm raise consumer ended; consuming again');
      } catch (err) {
        if (!stopping) log.error({ err }, 'alarm raise consumer failed; consuming again');
      }
      if (!stopping) await sleep(RESTART_DELAY_MS);
    }
  }

  return {
    async start(): Promise<void> {
      await ensureAlarmsStream(jsm, { streamName, subjects, replicas });
      await ensureConsumer();
      elected = nc.subscribe(leaderElected(streamName, durableName), {
        callback: () => {
          newLeader = true;
          messages?.stop();
        },
      });
      loop = consumeForever();
    },
    async stop(): Promise<void> {
      stopping = true;
      elected?.unsubscribe();
      messages?.stop();
      await loop;
      // Raises in flight finish and are acked; anything not yet taken stays for the others.
      await Promise.allSettled([...inFlight]);
    },
  };
}
