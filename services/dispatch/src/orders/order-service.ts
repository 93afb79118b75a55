import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  ConflictError,
  DomainRuleError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type AuditEntry,
  type Completion,
  type LatLng,
  type Order,
  type OrderCreate,
  type OrderState,
  type Patient,
  type RedisKeys,
  type TokenClaims,
  type VisitStep,
} from '@nursing/contracts';
import { coarseCellOf, distanceMeters } from '@nursing/geo';
import type { Logger } from '@nursing/logging';
import type { PresenceStore } from '@nursing/presence';
import { requireInstitutionAccess } from '@nursing/auth';
import { checkOrderAgainstCatalog, findCatalogItem } from '../catalog/catalog-rules.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { Matcher } from '../matching/matcher.ts';
import type { NurseIndex } from '../matching/nurse-index.ts';
import { ineligibilityReasons, INELIGIBILITY_REASONS } from '../matching/eligibility.ts';
import { workloadDay } from '../matching/matcher.ts';
import type { TimerQueue } from '@nursing/timer-queue';
import type { NurseRepository } from '../registry/index.ts';
import type { OrderFields, OrderStore, TransitionRequest } from './order-store.ts';
import { transitionError } from './order-errors.ts';
import { createNurseClaims } from './nurse-claim.ts';
import { OPEN_STATES, statesLeadingTo } from './lifecycle.ts';
import { createGrabCoalescer } from './grab-coalescer.ts';

export interface Actor {
  role: string;
  id: string;
}
const SYSTEM: Actor = { role: 'system', id: 'dispatch' };

export interface OrderServiceSettings {
  offerTtlMs: number;
  grabWindowMs: number;
  grabFallbackToPush: boolean;
  maxPositionAgeMs: number;
  radiusMeters: number;
}

export interface OrderServiceDeps {
  store: OrderStore;
  matcher: Matcher;
  index: NurseIndex;
  timers: TimerQueue;
  audit: AuditLog;
  notifier: Notifier;
  presence: PresenceStore;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  now: () => number;
  settings: OrderServiceSettings;
  nurses: Pick<NurseRepository, 'addRating'>;
}

/** Timer members name what is due; handlers re-check the order, so a late or repeated timer does nothing. */
export const offerTimer = (orderId: string, nurseId: string) => `offer|${orderId}|${nurseId}`;
export const grabTimer = (orderId: string) => `grab|${orderId}`;
/**
 * Set before an order is stored (or redispatched): if dispatch stops between two steps
 * (Redis gone after the order was stored but before it was offered, an instance killed),
 * this timer finds the order still `created` or `dispatching` and carries on.
 */
export const dispatchTimer = (orderId: string) => `dispatch|${orderId}`;
/** How long after creation the guard looks; far longer than the normal path takes. */
const DISPATCH_GUARD_MS = 10_000;

/** Steps of the visit a nurse reports, with the state each leads to. */
/** States in which the nurse has been at the patient's home. */
const VISITED: readonly OrderState[] = ['arrived', 'in_service', 'completed', 'rated'];

const STEP_TARGET: Record<Exclude<VisitStep, 'departed'>, OrderState> = { en_route: 'en_route', arrived: 'arrived', started: 'in_service', completed: 'completed' };

/**
 * The order lifecycle: creation, push offers, grab broadcasts, acceptance, the visit,
 * completion and rating. Every state change goes through the store's atomic
 * transition, then is told to the people concerned and appended to the audit trail.
 */
export function createOrderService(deps: OrderServiceDeps) {
  const { store, matcher, index, timers, audit, notifier, presence, redis, keys, log, now, settings } = deps;
  const iso = () => new Date(now()).toISOString();
  const claims = createNurseClaims({ redis, keys, stateOf: async (id) => (await store.get(id))?.state });
  const grabs = createGrabCoalescer({ refusal: (orderId) => transitionError(orderId, 'ORDER_TAKEN', 'accepted', 'grab') });

  async function record(orderId: string, actor: Actor, action: string, extra: Partial<AuditEntry> = {}): Promise<void> {
    try {
      await audit.append({ orderId, at: iso(), actor, action, ...extra });
    } catch (err) {
      // The transition already happened in Redis; losing its trace must be loud.
      log.error({ err, orderId, action }, 'audit append failed');
    }
  }

  async function mustGet(orderId: string): Promise<Order> {
    const order = await store.get(orderId);
    if (!order) throw new NotFoundError('order', orderId);
    return order;
  }

  async function move(orderId: string, action: string, request: TransitionRequest): Promise<Order> {
    const result = await store.transition(orderId, now(), { ...request, set: { updatedAt: iso(), ...request.set } });
    if (!result.ok) throw transitionError(orderId, result.code, result.state, action);
    return mustGet(orderId);
  }

  async function announce(order: Order, actor: Actor, event: string, from: string | undefined, details?: Record<string, unknown>, nurseId?: string) {
    notifier.orderEvent(order, event, nurseId);
    await record(order.id, actor, event, { ...(from ? { from } : {}), to: order.state, ...(details ? { details } : {}) });
  }

  /**
   * The order is (already) in `state` with this nurse: her earlier identical request went
   * through but she never got the answer (a lost reply, a server failing after the
   * change). Her app retries; she must hear the same answer, not a refusal.
   */
  async function repeatOf(orderId: string, nurseId: string, state: OrderState): Promise<Order | undefined> {
    const current = await store.get(orderId);
    return current?.state === state && current.assignedNurseId === nurseId ? current : undefined;
  }

  async function disclosePatient(order: Order, to: Actor, reason: string): Promise<Patient> {
    const patient = await store.getPatient(order.id);
    if (!patient) throw new NotFoundError('patient of order', order.id);
    await record(order.id, to, 'patient.disclosed', { details: { to: to.id, role: to.role, reason } });
    return patient;
  }

  /**
   * After a nurse got the order (offer accepted, grab won, manual assignment), and again
   * when her app repeats the request: the trace is written once, the rest is idempotent,
   * so a repeat completes whatever a failure interrupted the first time.
   */
  async function onAssigned(order: Order, nurseId: string, actor: Actor, event: string, from: string | undefined, details?: Record<string, unknown>) {
    const patient = await disclosePatient(order, { role: 'nurse', id: nurseId }, event);
    if (await store.markOnce(order.id, event)) {
      await announce(order, actor, event, from, details, nurseId);
      await redis.hincrby(keys.workload(workloadDay(now())), nurseId, 1);
    }
    await timers.cancel(grabTimer(order.id));
    await redis.set(keys.activeOrder(nurseId), order.id);
    await presence.setPresence(nurseId, 'busy', now());
    notifier.toNurse(nurseId, { type: 'assigned', order, patient });
    return patient;
  }

  /**
   * She left the patient's home: no state changes (she may leave before or after
   * completing), but supervisors see it in the timeline. Recorded once per order.
   */
  async function recordDeparture(nurseId: string, orderId: string, position: LatLng | undefined): Promise<Order> {
    const order = await mustGet(orderId);
    if (order.assignedNurseId !== nurseId) throw new ForbiddenError('only the assigned nurse can leave this visit');
    if (!VISITED.includes(order.state)) {
      throw new ConflictError('ILLEGAL_TRANSITION', `cannot record a departure from order ${orderId} while it is ${order.state}`);
    }
    const first = await redis.set(keys.orderDeparted(orderId), iso(), 'NX');
    if (first === 'OK') {
      notifier.orderEvent(order, 'departed', nurseId);
      await record(orderId, { role: 'nurse', id: nurseId }, 'departed', { details: position ? { position } : {} });
    }
    return order;
  }

  async function pushNext(orderId: string): Promise<void> {
    // Bounded: each pass either offers, finds nobody, or loses a race to another instance.
    for (let pass = 0; pass < 50; pass++) {
      const order = await store.get(orderId);
      if (!order || order.state !== 'dispatching') return;
      const item = findCatalogItem(order.itemCode);
      if (!item) return;
      const next = await matcher.nextForPush(order, item, await store.wasOffered(orderId));
      if (!next) {
        const result = await store.transition(orderId, now(), { when: { states: ['dispatching'] }, set: { state: 'unassigned', updatedAt: iso() } });
        if (result.ok) await announce(await mustGet(orderId), SYSTEM, 'unassigned', 'dispatching', { why: 'no eligible nurse left' });
        return;
      }
      const expiresAtMs = now() + settings.offerTtlMs;
      // The deadline goes in before the offer: if we stop in between, a deadline without an
      // offer fires and finds nothing to do, whereas an offer without one would wait forever.
      await timers.scheduleNoEarlier(offerTimer(orderId, next.nurseId), expiresAtMs);
      const result = await store.transition(orderId, now(), {
        when: { states: ['dispatching'], notOffered: next.nurseId },
        set: { state: 'offered', offerNurseId: next.nurseId, offerExpiresAtMs: String(expiresAtMs), attempts: String(order.attempts + 1), updatedAt: iso() },
      });
      if (result.ok) {
        notifier.toNurse(next.nurseId, {
          type: 'offer',
          orderId,
          itemCode: item.code,
          itemName: item.name,
          distanceMeters: next.distanceMeters,
          area: coarseCellOf(order.location),
          window: order.window,
          feeYuan: order.feeYuan,
          expiresAtMs,
        });
        const offered = await mustGet(orderId);
        await announce(offered, SYSTEM, 'offered', 'dispatching', { nurseId: next.nurseId, distanceMeters: next.distanceMeters, expiresAtMs }, next.nurseId);
        await record(orderId, SYSTEM, 'offer.sent', { details: { nurseId: next.nurseId, disclosed: ['item', 'distance', 'area', 'window', 'fee'] } });
        return;
      }
      if (result.code !== 'ALREADY_OFFERED') return;
    }
  }

  async function broadcast(order: Order): Promise<void> {
    const item = findCatalogItem(order.itemCode);
    if (!item) return;
    const candidates = await matcher.candidates(order, item);
    if (candidates.length === 0) {
      if (settings.grabFallbackToPush) return pushNext(order.id);
      const result = await store.transition(order.id, now(), { when: { states: ['dispatching'] }, set: { state: 'unassigned', updatedAt: iso() } });
      if (result.ok) await announce(await mustGet(order.id), SYSTEM, 'unassigned', 'dispatching', { why: 'no eligible nurse nearby' });
      return;
    }
    const closesAtMs = now() + settings.grabWindowMs;
    const ids = candidates.map((c) => c.nurseId);
    // As for offers: the window's end is set before the window opens.
    await timers.scheduleNoEarlier(grabTimer(order.id), closesAtMs);
    const result = await store.transition(order.id, now(), {
      when: { states: ['dispatching'] },
      set: { state: 'broadcast', broadcastUntilMs: String(closesAtMs), attempts: String(order.attempts + 1), updatedAt: iso() },
      broadcastTo: ids,
    });
    if (!result.ok) return;
    const area = coarseCellOf(order.location);
    for (const c of candidates) {
      notifier.toNurse(c.nurseId, {
        type: 'broadcast',
        orderId: order.id,
        itemCode: item.code,
        itemName: item.name,
        distanceMeters: c.distanceMeters,
        area,
        window: order.window,
        feeYuan: order.feeYuan,
        closesAtMs,
      });
    }
    await announce(await mustGet(order.id), SYSTEM, 'broadcast', 'dispatching', { recipients: ids.length, closesAtMs });
    await record(order.id, SYSTEM, 'broadcast.sent', { details: { nurseIds: ids, disclosed: ['item', 'distance', 'area', 'window', 'fee'] } });
  }

  /** Refusing a grab of an order that is not broadcast: ORDER_TAKEN once it has moved past broadcasting, else ILLEGAL_TRANSITION. */
  const grabTaken = (state: string) => state !== 'broadcast' && state !== 'created' && state !== 'dispatching';

  /** Remembers an order that will never open for grabs again, with who (if anyone) won it. */
  function rememberIfClosed(order: Order | undefined): void {
    if (order && !OPEN_STATES.includes(order.state)) grabs.taken(order.id, order.assignedNurseId ?? '');
  }

  /**
   * Decides one grab in Redis (the others of the order arriving here meanwhile wait for it:
   * grab-coalescer.ts). 'won' when she has just won it, or the order she had already won
   * (her app's retry).
   */
  async function decideGrab(nurseId: string, orderId: string): Promise<Order | 'won'> {
    // A grab that reached another instance first is seen here: one read answers the
    // rest, without claiming (and releasing) each nurse for an order she cannot get.
    const before = await store.get(orderId);
    if (!before) throw new NotFoundError('order', orderId);
    rememberIfClosed(before);
    if (before.state !== 'broadcast') {
      if (before.state === 'accepted' && before.assignedNurseId === nurseId) return before;
      throw transitionError(orderId, grabTaken(before.state) ? 'ORDER_TAKEN' : 'ILLEGAL_TRANSITION', before.state, 'grab');
    }
    await claims.claim(nurseId, orderId);
    const result = await store.transition(orderId, now(), {
      when: { states: ['broadcast'], broadcastOpen: true, broadcastMember: nurseId },
      set: { state: 'accepted', assignedNurseId: nurseId, acceptedAt: iso(), updatedAt: iso() },
      unset: ['broadcastUntilMs'],
    });
    if (result.ok) {
      grabs.taken(orderId, nurseId);
      return 'won';
    }
    // Lost, most likely to a grab on another instance: what is read now answers the grabs
    // waiting here too.
    const current = await store.get(orderId);
    rememberIfClosed(current);
    if (current?.state === 'accepted' && current.assignedNurseId === nurseId) return current;
    await claims.release(nurseId, orderId);
    throw transitionError(orderId, result.code === 'ILLEGAL_TRANSITION' && grabTaken(result.state) ? 'ORDER_TAKEN' : result.code, result.state, 'grab');
  }

  async function startDispatch(orderId: string, actor: Actor): Promise<void> {
    const result = await store.transition(orderId, now(), {
      when: { states: ['created', 'unassigned'] },
      set: { state: 'dispatching', updatedAt: iso() },
      unset: ['broadcastUntilMs'],
    });
    if (!result.ok) throw transitionError(orderId, result.code, result.state, 'dispatch');
    const order = await mustGet(orderId);
    await announce(order, actor, 'dispatching', result.from);
    if (order.mode === 'grab' && result.from === 'created') await broadcast(order);
    else await pushNext(orderId);
  }

  /** The dispatch guard fired: carry on with an order that dispatch left half-way. */
  async function resumeDispatch(orderId: string): Promise<void> {
    const order = await store.get(orderId);
    if (!order) return; // never stored: the client's retry will create it
    if (order.state === 'created') {
      await store.list(order);
      try {
        await startDispatch(orderId, SYSTEM);
      } catch (err) {
        // Another instance moved it on meanwhile: nothing left to do here.
        if (!(err instanceof ConflictError)) throw err;
      }
    } else if (order.state === 'dispatching') {
      if (order.mode === 'grab' && order.attempts === 0) await broadcast(order);
      else await pushNext(orderId);
    }
  }

  return {
    /** Creates an order for the coordinator's institution and starts dispatching it. */
    async create(body: OrderCreate, claims: TokenClaims): Promise<Order> {
      if (!claims.institution) throw new ForbiddenError('an order belongs to an institution; your token has none');
      if (!body.assessment) throw new DomainRuleError('ASSESSMENT_MISSING', 'a first-visit assessment by a doctor is required before an order is created');
      if (!body.consent) throw new DomainRuleError('CONSENT_MISSING', 'an informed-consent record is required before service');
      if (Date.parse(body.window.endAt) <= Date.parse(body.window.startAt)) {
        throw new ValidationError('invalid body: /window endAt must be after startAt', [{ path: '/window/endAt', message: 'must be after startAt' }]);
      }
      const item = checkOrderAgainstCatalog(body);
      const at = iso();
      const order: Order = {
        id: body.id ?? randomUUID(),
        institutionId: claims.institution,
        createdBy: claims.sub,
        itemCode: item.code,
        mode: body.mode,
        state: 'created',
        location: body.patient.location,
        window: body.window,
        feeYuan: item.feeYuan,
        createdAt: at,
        updatedAt: at,
        attempts: 0,
      };
      await timers.schedule(dispatchTimer(order.id), now() + DISPATCH_GUARD_MS);
      await store.create(order, body.patient);
      await record(order.id, { role: claims.role, id: claims.sub }, 'created', {
        to: 'created',
        details: { itemCode: item.code, mode: body.mode, assessedBy: body.assessment.doctorName, consentRecord: body.consent.recordId },
      });
      // Maps show a new order at once, before a nurse is found for it.
      notifier.orderEvent(order, 'created');
      await startDispatch(order.id, { role: claims.role, id: claims.sub });
      return mustGet(order.id);
    },

    get: mustGet,

    /** An offered nurse accepts. */
    async accept(nurseId: string, orderId: string): Promise<{ order: Order; patient: Patient }> {
      await claims.claim(nurseId, orderId);
      const result = await store.transition(orderId, now(), {
        when: { states: ['offered'], offerNurseId: nurseId, offerLive: true },
        set: { state: 'accepted', assignedNurseId: nurseId, acceptedAt: iso(), updatedAt: iso() },
        unset: ['offerNurseId', 'offerExpiresAtMs'],
      });
      const order = result.ok ? await mustGet(orderId) : await repeatOf(orderId, nurseId, 'accepted');
      if (!order) await claims.release(nurseId, orderId);
      if (!order) throw transitionError(orderId, result.ok ? 'NOT_FOUND' : result.code, result.ok ? '' : result.state, 'accept');
      await timers.cancel(offerTimer(orderId, nurseId));
      const patient = await onAssigned(order, nurseId, { role: 'nurse', id: nurseId }, 'accepted', 'offered');
      return { order, patient };
    },

    /** An offered nurse declines; the next candidate is offered. */
    async decline(nurseId: string, orderId: string, reason: string): Promise<Order> {
      const order = await move(orderId, 'decline', {
        when: { states: ['offered'], offerNurseId: nurseId },
        set: { state: 'dispatching' },
        unset: ['offerNurseId', 'offerExpiresAtMs'],
      });
      await announce(order, { role: 'nurse', id: nurseId }, 'declined', 'offered', { reason }, nurseId);
      await pushNext(orderId);
      // Kept until the next offer is made: should we stop before, it fires and carries on.
      await timers.cancel(offerTimer(orderId, nurseId));
      return mustGet(orderId);
    },

    /** A nurse who received the broadcast grabs it; exactly one succeeds. */
    async grab(nurseId: string, orderId: string): Promise<{ order: Order; patient: Patient }> {
      const decided = await grabs.grab(orderId, nurseId, () => decideGrab(nurseId, orderId));
      // Read after her turn: the grabs waiting behind her need only the decision.
      const order = decided === 'won' ? await mustGet(orderId) : decided;
      const patient = await onAssigned(order, nurseId, { role: 'nurse', id: nurseId }, 'grabbed', 'broadcast');
      const others = (await store.broadcastRecipients(orderId)).filter((other) => other !== nurseId);
      notifier.toNurses(others, { type: 'taken', orderId });
      return { order, patient };
    },

    /** A coordinator assigns by hand. Eligibility is checked; overriding it needs a reason, which is recorded. */
    async assign(orderId: string, nurseId: string, claims: TokenClaims, options: { override?: boolean | undefined; reason?: string | undefined }): Promise<Order> {
      const current = await mustGet(orderId);
      requireInstitutionAccess(claims, current.institutionId);
      const item = findCatalogItem(current.itemCode);
      const entry = index.get(nurseId);
      if (!entry?.nurse) throw new NotFoundError('nurse', nurseId);
      const d = entry.position ? distanceMeters(current.location, entry.position) : undefined;
      const reasons = item
        ? ineligibilityReasons(entry, { order: current, item, nowMs: now(), maxPositionAgeMs: settings.maxPositionAgeMs, radiusMeters: settings.radiusMeters, ...(d === undefined ? {} : { distanceMeters: d }) })
        : [];
      if (entry.nurse.institutionId !== current.institutionId) {
        throw new DomainRuleError('NURSE_NOT_ELIGIBLE', 'a nurse may only serve orders of the institution she is registered at');
      }
      if (reasons.length && !options.override) {
        throw new DomainRuleError('NURSE_NOT_ELIGIBLE', `nurse ${nurseId} is not eligible: ${reasons.map((r) => INELIGIBILITY_REASONS[r]).join('; ')}`, {
          details: { reasons },
        });
      }
      if (reasons.length && !options.reason) {
        throw new ValidationError('an override needs a reason', [{ path: '/reason', message: 'required when override is true' }]);
      }
      const manual = { by: claims.sub, ...(options.reason ? { reason: options.reason } : {}) };
      const set: OrderFields = { state: 'accepted', assignedNurseId: nurseId, acceptedAt: iso(), manualAssignment: JSON.stringify(manual) };
      const order = await move(orderId, 'assign', {
        when: { states: ['dispatching', 'offered', 'broadcast', 'unassigned'] },
        set,
        unset: ['offerNurseId', 'offerExpiresAtMs', 'broadcastUntilMs'],
      });
      if (current.offer && current.offer.nurseId !== nurseId) {
        await timers.cancel(offerTimer(orderId, current.offer.nurseId));
        notifier.toNurse(current.offer.nurseId, { type: 'offer.withdrawn', orderId, reason: 'reassigned' });
      }
      await onAssigned(order, nurseId, { role: claims.role, id: claims.sub }, 'assigned', current.state, {
        nurseId,
        override: Boolean(reasons.length),
        overriddenRules: reasons,
        ...(options.reason ? { reason: options.reason } : {}),
      });
      return order;
    },

    /** The assigned nurse reports the visit's progress. */
    async progress(
      nurseId: string,
      orderId: string,
      step: VisitStep,
      extra: { identityConfirmed?: boolean | undefined; completion?: Completion | undefined; position?: LatLng | undefined },
    ): Promise<Order> {
      if (step === 'departed') return recordDeparture(nurseId, orderId, extra.position);
      if (step === 'started' && extra.identityConfirmed !== true) {
        throw new DomainRuleError('DOMAIN_RULE', "service starts only after the patient's identity is confirmed at the door (identityConfirmed: true)");
      }
      if (step === 'completed' && !extra.completion) {
        throw new ValidationError('completion needs consumables used and medical-waste disposal', [{ path: '/completion', message: 'required' }]);
      }
      const to = STEP_TARGET[step];
      const set: OrderFields = { state: to };
      if (step === 'completed') {
        set.completedAt = iso();
        set.completion = JSON.stringify(extra.completion);
      }
      const result = await store.transition(orderId, now(), {
        when: { states: statesLeadingTo(to).filter((s) => s !== 'dispatching' && s !== 'unassigned'), assignedNurseId: nurseId },
        set: { ...set, updatedAt: iso() },
      });
      const order = result.ok ? await mustGet(orderId) : await repeatOf(orderId, nurseId, to);
      if (!order) throw transitionError(orderId, result.ok ? 'NOT_FOUND' : result.code, result.ok ? '' : result.state, step);
      const details: Record<string, unknown> = {};
      if (step === 'started') details['identityConfirmed'] = true;
      if (step === 'completed' && extra.completion) {
        details['consumables'] = extra.completion.consumables;
        details['medicalWaste'] = extra.completion.medicalWaste;
        if (extra.completion.adverseEvent) details['adverseEvent'] = extra.completion.adverseEvent;
      }
      // Written once even when her app repeats the step; the rest below is idempotent.
      if (await store.markOnce(orderId, to)) await announce(order, { role: 'nurse', id: nurseId }, to, result.ok ? result.from : undefined, details, nurseId);
      if (step === 'completed') {
        await redis.del(keys.activeOrder(nurseId));
        await presence.setPresence(nurseId, 'available', now());
      }
      notifier.toNurse(nurseId, { type: 'order.updated', orderId, state: order.state });
      return order;
    },

    async cancel(orderId: string, claims: TokenClaims, reason: string): Promise<Order> {
      const current = await mustGet(orderId);
      requireInstitutionAccess(claims, current.institutionId);
      const order = await move(orderId, 'cancel', {
        when: { states: statesLeadingTo('cancelled') },
        set: { state: 'cancelled' },
        unset: ['offerNurseId', 'offerExpiresAtMs', 'broadcastUntilMs'],
      });
      await timers.cancel(grabTimer(orderId));
      if (current.offer) {
        await timers.cancel(offerTimer(orderId, current.offer.nurseId));
        notifier.toNurse(current.offer.nurseId, { type: 'offer.withdrawn', orderId, reason: 'cancelled' });
      }
      if (current.assignedNurseId) {
        await redis.del(keys.activeOrder(current.assignedNurseId));
        await presence.setPresence(current.assignedNurseId, 'available', now());
        notifier.toNurse(current.assignedNurseId, { type: 'order.updated', orderId, state: 'cancelled' });
      }
      await announce(order, { role: claims.role, id: claims.sub }, 'cancelled', current.state, { reason });
      return order;
    },

    /** Puts an unassigned order back into dispatch (push). */
    async redispatch(orderId: string, claims: TokenClaims): Promise<Order> {
      requireInstitutionAccess(claims, (await mustGet(orderId)).institutionId);
      await timers.schedule(dispatchTimer(orderId), now() + DISPATCH_GUARD_MS);
      await startDispatch(orderId, { role: claims.role, id: claims.sub });
      return mustGet(orderId);
    },

    async rate(orderId: string, claims: TokenClaims, score: number, comment: string | undefined): Promise<Order> {
      const current = await mustGet(orderId);
      requireInstitutionAccess(claims, current.institutionId);
      const rating = { score, ...(comment ? { comment } : {}) };
      const order = await move(orderId, 'rate', { when: { states: ['completed'] }, set: { state: 'rated', rating: JSON.stringify(rating) } });
      if (order.assignedNurseId) await deps.nurses.addRating(order.assignedNurseId, score);
      await announce(order, { role: claims.role, id: claims.sub }, 'rated', 'completed', { score });
      return order;
    },

    /** The patient's details for someone entitled to them; every read is audited. */
    async patientFor(orderId: string, claims: TokenClaims): Promise<Patient> {
      const order = await mustGet(orderId);
      if (claims.role === 'nurse') {
        if (order.assignedNurseId !== claims.sub) throw new ForbiddenError('only the assigned nurse may read the patient of this order');
      } else if (claims.role === 'coordinator' || claims.role === 'admin') {
        requireInstitutionAccess(claims, order.institutionId);
      } else {
        throw new ForbiddenError('not allowed for this role');
      }
      return disclosePatient(order, { role: claims.role, id: claims.sub }, 'read');
    },

    async onTimer(member: string): Promise<void> {
      const [kind, orderId, nurseId] = member.split('|');
      if (!orderId) return;
      if (kind === 'offer' && nurseId) {
        const result = await store.transition(orderId, now(), {
          when: { states: ['offered'], offerNurseId: nurseId, offerExpired: true },
          set: { state: 'dispatching', updatedAt: iso() },
          unset: ['offerNurseId', 'offerExpiresAtMs'],
        });
        if (result.ok) {
          notifier.toNurse(nurseId, { type: 'offer.withdrawn', orderId, reason: 'expired' });
          await announce(await mustGet(orderId), SYSTEM, 'offer.expired', 'offered', { nurseId }, nurseId);
        }
        // Also after a crash between this transition and the next offer: the order waits in dispatching.
        await pushNext(orderId);
      } else if (kind === 'grab') {
        const fallback = settings.grabFallbackToPush;
        const result = await store.transition(orderId, now(), {
          when: { states: ['broadcast'] },
          set: { state: fallback ? 'dispatching' : 'unassigned', updatedAt: iso() },
          unset: ['broadcastUntilMs'],
        });
        if (result.ok) {
          for (const other of await store.broadcastRecipients(orderId)) notifier.toNurse(other, { type: 'offer.withdrawn', orderId, reason: 'expired' });
          await announce(await mustGet(orderId), SYSTEM, fallback ? 'grab.closed' : 'unassigned', 'broadcast', { fallbackToPush: fallback });
        }
        if (fallback) await pushNext(orderId);
      } else if (kind === 'dispatch') {
        await resumeDispatch(orderId);
      }
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;
