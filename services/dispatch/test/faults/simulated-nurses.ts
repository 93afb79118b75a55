import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsSubjects, type DispatchReply, type NurseInboxMessage, type VisitStep } from '@nursing/contracts';

export interface NurseBehaviour {
  /** Of offers she is free for: accept with this probability, else decline or let it expire. */
  accept: number;
  decline: number;
  /** Of broadcasts she is free for: grab with this probability. */
  grab: number;
  /** Pause before each visit step, ms. */
  stepMs: number;
}

/** What a nurse's app sees back from dispatch: the successful accept/grab replies. */
export interface Assignment {
  orderId: string;
  nurseId: string;
  how: 'accept' | 'grab';
}

const STEPS: Exclude<VisitStep, 'departed'>[] = ['en_route', 'arrived', 'started', 'completed'];
/** Codes that mean "try again": the request may not have reached a healthy instance. */
const RETRYABLE = new Set(['INTERNAL', 'UNAVAILABLE']);

/**
 * Nurses' phone apps, reduced to what dispatch sees of them: they read their NATS inbox
 * and answer offers and broadcasts with requests on hn.dispatch.*, retrying like an app
 * does when a request times out or a server fails, and do their visit through to
 * completion once they hold an order. One visit at a time: a nurse with an order (or an
 * accept/grab in flight) declines other offers and ignores broadcasts, as the app would.
 */
export async function simulateNurses(natsUrl: string, ns: string, behaviour: NurseBehaviour, seed = 42) {
  const nc: NatsConnection = await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200, name: 'simulated-nurses' });
  const subjects = natsSubjects(ns);
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible choices for a given seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const busy = new Set<string>();
  const assignments: Assignment[] = [];
  const failures: { nurseId: string; orderId: string; what: string; code: string }[] = [];
  const inbox: { nurseId: string; message: NurseInboxMessage }[] = [];
  const pending = new Set<Promise<void>>();
  let stopped = false;
  let retries = 0;
  const decoder = new TextDecoder();

  /** One request with the app's retry policy: up to 8 tries over ~20 s on timeouts and server errors. */
  async function ask(subject: string, body: object): Promise<DispatchReply | { ok: false; error: { code: 'GAVE_UP'; message: string } }> {
    let last = '';
    for (let attempt = 0; attempt < 8 && !stopped; attempt++) {
      if (attempt > 0) {
        retries++;
        await sleep(Math.min(250 * 2 ** attempt, 3_000));
      }
      try {
        const reply = (await nc.request(subject, JSON.stringify(body), { timeout: 3_000 })).json<DispatchReply>();
        if (reply.ok || !RETRYABLE.has(reply.error.code)) return reply;
        last = reply.error.code;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    return { ok: false, error: { code: 'GAVE_UP', message: last } };
  }

  async function visit(nurseId: string, orderId: string): Promise<void> {
    for (const step of STEPS) {
      await sleep(behaviour.stepMs * (0.5 + random()));
      const body = {
        nurseId,
        orderId,
        step,
        ...(step === 'started' ? { identityConfirmed: true } : {}),
        ...(step === 'completed' ? { completion: { consumables: [{ name: 'dressing', quantity: 1 }], medicalWaste: { disposed: true, method: 'sharps box' } } } : {}),
      };
      const reply = await ask(subjects.dispatchProgress, body);
      // A retry after a lost reply finds the step already made: that is success, not a failure.
      if (!reply.ok && reply.error.code !== 'ILLEGAL_TRANSITION') failures.push({ nurseId, orderId, what: step, code: reply.error.code });
    }
    busy.delete(nurseId);
  }

  async function take(nurseId: string, orderId: string, how: 'accept' | 'grab'): Promise<void> {
    const reply = await ask(how === 'accept' ? subjects.dispatchAccept : subjects.dispatchGrab, { nurseId, orderId });
    if (reply.ok) {
      assignments.push({ orderId, nurseId, how });
      await visit(nurseId, orderId);
      return;
    }
    failures.push({ nurseId, orderId, what: how, code: reply.error.code });
    busy.delete(nurseId);
  }

  async function react(nurseId: string, message: NurseInboxMessage): Promise<void> {
    if (message.type === 'offer') {
      await sleep(20 + random() * 300);
      const roll = random();
      if (!busy.has(nurseId) && roll < behaviour.accept) {
        busy.add(nurseId);
        await take(nurseId, message.orderId, 'accept');
      } else if (busy.has(nurseId) || roll < behaviour.accept + behaviour.decline) {
        const reply = await ask(subjects.dispatchDecline, { nurseId, orderId: message.orderId, reason: busy.has(nurseId) ? 'on another visit' : 'too far today' });
        if (!reply.ok && reply.error.code === 'GAVE_UP') failures.push({ nurseId, orderId: message.orderId, what: 'decline', code: reply.error.code });
      }
      // else: she lets it expire.
    } else if (message.type === 'broadcast') {
      await sleep(20 + random() * 400);
      if (!busy.has(nurseId) && random() < behaviour.grab) {
        busy.add(nurseId);
        await take(nurseId, message.orderId, 'grab');
      }
    }
  }

  nc.subscribe(`${ns}.nurse.*.inbox`, {
    callback: (err, msg) => {
      if (err || stopped) return;
      const nurseId = msg.subject.split('.')[2] as string;
      const message = JSON.parse(decoder.decode(msg.data)) as NurseInboxMessage;
      inbox.push({ nurseId, message });
      const p = react(nurseId, message).finally(() => pending.delete(p));
      pending.add(p);
    },
  });
  await nc.flush();

  return {
    assignments,
    failures,
    /** Failed requests by what and code, e.g. { 'grab ORDER_TAKEN': 12 }. */
    failureCounts(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const f of failures) counts[`${f.what} ${f.code}`] = (counts[`${f.what} ${f.code}`] ?? 0) + 1;
      return counts;
    },
    inbox,
    get retries() {
      return retries;
    },
    /** Nurses in the middle of a request or a visit. */
    get active() {
      return pending.size;
    },
    /** Lets the visits in progress finish (bounded), then disconnects. */
    async stop(graceMs = 30_000): Promise<void> {
      await Promise.race([Promise.allSettled([...pending]), sleep(graceMs)]);
      stopped = true;
      await nc.close();
    },
  };
}

export type SimulatedNurses = Awaited<ReturnType<typeof simulateNurses>>;
