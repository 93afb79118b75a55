import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JetStreamClient } from '@nats-io/jetstream';
import { ConflictError, ForbiddenError, NotFoundError, type NatsSubjects, type OrderEvent, type RedisKeys } from '@nursing/contracts';
import { publishAlarmRaise } from '@nursing/alarm-intake';
import type { TimerQueue } from '@nursing/timer-queue';
import type { Logger } from '@nursing/logging';
import { welfareTimer } from '../timers/alarm-timers.ts';
import { AT_PATIENT_STATES, readVisit } from './visit-state.ts';

/** What is kept per visit in progress (`welfare:{o:<orderId>}`). */
interface WelfareState {
  deadlineMs: number;
  nurseId: string;
}

/** Order states after which nobody is at the patient's home any more. */
const VISIT_OVER = new Set(['completed', 'rated', 'cancelled', 'unassigned']);

export interface WelfareDeps {
  redis: Redis;
  keys: RedisKeys;
  subjects: NatsSubjects;
  js: JetStreamClient;
  timers: TimerQueue;
  log: Logger;
  now: () => number;
  marginMs: number;
  visitDurationMs: (itemCode: string) => number;
}

/**
 * The lone-worker timer of a home visit. On arrival a deadline of the item's expected
 * duration plus a margin starts; a check-in moves it to at least now + margin; the
 * visit's completion or cancellation ends it. A deadline that passes raises an
 * `overdue` alarm through the same JetStream path as the panic button. The deadline
 * lives in Redis (state plus timer member), so restarts do not lose it.
 */
export function createWelfareTimer(deps: WelfareDeps) {
  const { redis, keys, subjects, js, timers, log, now, marginMs, visitDurationMs } = deps;

  const readState = async (orderId: string): Promise<WelfareState | undefined> => {
    const raw = await redis.get(keys.welfare(orderId));
    return raw ? (JSON.parse(raw) as WelfareState) : undefined;
  };

  async function moveDeadline(orderId: string, previous: WelfareState | undefined, next: WelfareState): Promise<void> {
    await redis.set(keys.welfare(orderId), JSON.stringify(next));
    await timers.schedule(welfareTimer(orderId, next.deadlineMs), next.deadlineMs);
    if (previous && previous.deadlineMs !== next.deadlineMs) await timers.cancel(welfareTimer(orderId, previous.deadlineMs));
  }

  async function end(orderId: string): Promise<void> {
    const state = await readState(orderId);
    await redis.del(keys.welfare(orderId));
    if (state) await timers.cancel(welfareTimer(orderId, state.deadlineMs));
  }

  return {
    /** Order events from dispatch (core NATS, one alarms instance per event through the queue group). */
    async onOrderEvent(event: OrderEvent): Promise<void> {
      const { order } = event;
      if (order.state === 'arrived') {
        const nurseId = order.assignedNurseId ?? event.nurseId;
        if (!nurseId) return;
        const arrivedAtMs = Date.parse(event.at) || now();
        const state: WelfareState = { deadlineMs: arrivedAtMs + visitDurationMs(order.itemCode) + marginMs, nurseId };
        // NX: a repeated arrival must not push back a deadline that check-ins already set.
        if ((await redis.set(keys.welfare(order.id), JSON.stringify(state), 'NX')) === 'OK') {
          await timers.schedule(welfareTimer(order.id, state.deadlineMs), state.deadlineMs);
        }
      } else if (VISIT_OVER.has(order.state)) {
        await end(order.id);
      }
    },

    /** "I am fine": the deadline becomes at least now + margin. Starts one if the arrival was missed. */
    async checkin(nurseId: string, orderId: string): Promise<{ orderId: string; deadlineAt: string }> {
      const visit = await readVisit(redis, keys, orderId);
      if (!visit) throw new NotFoundError('order', orderId);
      if (visit.assignedNurseId !== nurseId) throw new ForbiddenError('not your visit');
      if (!AT_PATIENT_STATES.includes(visit.state)) {
        throw new ConflictError('ILLEGAL_TRANSITION', `no visit in progress: order ${orderId} is ${visit.state}`);
      }
      const previous = await readState(orderId);
      const deadlineMs = Math.max(previous?.deadlineMs ?? 0, now() + marginMs);
      await moveDeadline(orderId, previous, { deadlineMs, nurseId });
      return { orderId, deadlineAt: new Date(deadlineMs).toISOString() };
    },

    /** A welfare deadline passed: raise `overdue` unless the visit ended or the deadline moved. */
    async expire(orderId: string, deadlineMs: number): Promise<void> {
      const state = await readState(orderId);
      if (!state || state.deadlineMs !== deadlineMs) return;
      const visit = await readVisit(redis, keys, orderId);
      if (!visit || !AT_PATIENT_STATES.includes(visit.state) || visit.assignedNurseId !== state.nurseId) {
        await end(orderId);
        return;
      }
      // The id comes from the order and this deadline: a repeat of this expiry is the same
      // alarm, while a later deadline (after a check-in) raises a new one.
      const alarmId = `ovd-${createHash('sha256').update(`${orderId}:${deadlineMs}`).digest('hex').slice(0, 40)}`;
      await publishAlarmRaise(js, subjects, {
        alarmId,
        nurseId: state.nurseId,
        institutionId: visit.institutionId,
        kind: 'overdue',
        drill: false,
        raisedAt: new Date(deadlineMs).toISOString(),
        source: 'welfare',
        orderId,
      });
      log.warn({ orderId, nurseId: state.nurseId, alarmId }, 'welfare deadline passed: overdue alarm raised');
    },
  };
}

export type WelfareTimer = ReturnType<typeof createWelfareTimer>;
