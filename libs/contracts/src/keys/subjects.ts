import { assertNamespace } from '../namespace.ts';

/**
 * NATS subjects. Tokens after the namespace go from coarse to fine so that wildcard
 * subscriptions (`loc.<cell>.>`, `order.<institution>.>`) select what a reader needs.
 */
export function natsSubjects(ns: string) {
  assertNamespace(ns);
  const p = `${ns}.`;
  return {
    /**
     * Core NATS: position updates, partitioned by the coarse H3 cell (see @nursing/geo),
     * then by the instance that stored them. Each message is a PositionBatch: what one
     * instance stored in that cell in one write, so subscribers pay the per-message cost
     * once per batch, not once per fix. The origin token lets a gateway skip its own
     * batches: it feeds its maps from what it stored, without the NATS round trip.
     */
    locations: (coarseCell: string, origin: string) => `${p}loc.${coarseCell}.${origin}`,
    locationsInCell: (coarseCell: string) => `${p}loc.${coarseCell}.*`,
    allLocations: `${p}loc.*.*`,
    /** Core NATS: everything addressed to one nurse (offers, broadcasts, taken, assigned, follow). */
    nurseInbox: (nurseId: string) => `${p}nurse.${nurseId}.inbox`,
    /** Requests from nurses, answered by any dispatch instance (queue group). */
    dispatchAccept: `${p}dispatch.accept`,
    dispatchDecline: `${p}dispatch.decline`,
    dispatchGrab: `${p}dispatch.grab`,
    dispatchProgress: `${p}dispatch.progress`,
    dispatchQueue: `${ns}-dispatch`,
    /** Core NATS: order events for coordinators of the institution. */
    orderEvent: (institutionId: string, orderId: string) => `${p}order.${institutionId}.${orderId}`,
    institutionOrders: (institutionId: string) => `${p}order.${institutionId}.*`,
    allOrderEvents: `${p}order.*.*`,
    /** Core NATS: registry changes, so in-process indexes on every instance stay current. */
    nurseChanged: (nurseId: string) => `${p}registry.nurse.${nurseId}`,
    allNurseChanges: `${p}registry.nurse.*`,
    /** Core NATS: a nurse's availability changed. */
    presence: (nurseId: string) => `${p}presence.${nurseId}`,
    allPresence: `${p}presence.*`,
    /** JetStream (stream ALARMS): raise requests, stored before the nurse is acknowledged. */
    alarmRaise: (alarmId: string) => `${p}alarm.raise.${alarmId}`,
    allAlarmRaises: `${p}alarm.raise.*`,
    /** Core NATS: alarm state changes for security desks and coordinators. */
    alarmEvent: (institutionId: string, alarmId: string) => `${p}alarm.event.${institutionId}.${alarmId}`,
    allAlarmEvents: `${p}alarm.event.*.*`,
    institutionAlarmEvents: (institutionId: string) => `${p}alarm.event.${institutionId}.*`,
    /** Core NATS: escalations for the institution's supervisor channel (on-call staff, paging). */
    alarmSupervisor: (institutionId: string) => `${p}alarm.supervisor.${institutionId}`,
    /** Requests to the alarms service (queue group `alarmsQueue`): a nurse's welfare check-in. */
    welfareCheckin: `${p}alarm.checkin`,
    alarmsQueue: `${ns}-alarms`,
    /** JetStream (stream AUDIT): the full trace of an order. */
    audit: (orderId: string) => `${p}audit.${orderId}`,
    allAudit: `${p}audit.*`,
  } as const;
}

export type NatsSubjects = ReturnType<typeof natsSubjects>;

/** JetStream stream and durable consumer names of a namespace. */
export function streamNames(ns: string) {
  assertNamespace(ns);
  const P = ns.toUpperCase();
  return {
    audit: `${P}_AUDIT`,
    alarms: `${P}_ALARMS`,
    alarmsConsumer: `${P}_ALARMS_HANDLER`,
  } as const;
}

/** A NATS subject token must not contain separators or wildcards. */
export const SUBJECT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
