import { assertNamespace } from '../namespace.ts';

/**
 * Redis key names. Braces are Redis Cluster hash tags: keys that one Lua script
 * touches together share a tag (all of an order's keys use `{o:<orderId>}`), so the
 * script runs on one node. Keys that are only read one at a time carry their own tag.
 */
export function redisKeys(ns: string) {
  assertNamespace(ns);
  const p = `${ns}:`;
  return {
    /** Hash: institution id -> Institution JSON. Hundreds per city: one key is enough. */
    institutions: `${p}institutions`,
    /** String: Nurse profile JSON. */
    nurse: (nurseId: string) => `${p}nurse:{n:${nurseId}}`,
    /** Set of every nurse id, for listing and for rebuilding in-process indexes. */
    nurseIds: `${p}nurses`,
    /** Set of nurse ids registered at an institution. */
    institutionNurses: (institutionId: string) => `${p}inst:{i:${institutionId}}:nurses`,
    /** Hash shard: nurse id -> latest NursePosition JSON. Sharded so a pipeline stays on one slot. */
    positions: (shard: number) => `${p}positions:{s:${shard}}`,
    /** Hash shard: nurse id -> Presence JSON (status and when it was set). */
    presence: (shard: number) => `${p}presence:{s:${shard}}`,
    /**
     * List: bounded trail of a nurse's recent positions (newest first). Tagged with the
     * position shard so one script writes a whole batch of positions and trails on one slot.
     */
    trail: (nurseId: string) => `${p}trail:{s:${positionShardOf(nurseId)}}:${nurseId}`,
    /** String: the order a nurse is serving now. */
    activeOrder: (nurseId: string) => `${p}nurse:{n:${nurseId}}:active`,
    /** String: JSON {orderId, location} of the home a nurse is visiting, until she is seen leaving it. */
    visitAwaitingDeparture: (nurseId: string) => `${p}nurse:{n:${nurseId}}:visit`,
    /** String: set once when the assigned nurse left the patient's home (departure is recorded once). */
    orderDeparted: (orderId: string) => `${p}order:{o:${orderId}}:departed`,
    /** Hash: the order's fields (no patient identity); see the dispatch order store. */
    order: (orderId: string) => `${p}order:{o:${orderId}}`,
    /** String: the patient's identity and address for an order, read only through audited paths. */
    orderPatient: (orderId: string) => `${p}order:{o:${orderId}}:patient`,
    /** Set: nurses who were ever offered this order (nobody gets it twice). */
    orderOffered: (orderId: string) => `${p}order:{o:${orderId}}:offered`,
    /** Set: nurses a grab broadcast went to (only they may grab). */
    orderBroadcast: (orderId: string) => `${p}order:{o:${orderId}}:broadcast`,
    /** Sorted set by creation time: the orders of an institution. */
    institutionOrders: (institutionId: string) => `${p}inst:{i:${institutionId}}:orders`,
    /** Hash: nurse id -> visits assigned today (fairness in ranking). Day as YYYY-MM-DD. */
    workload: (day: string) => `${p}workload:${day}`,
    /** Sorted set of due timers (member -> due epoch ms), claimed atomically by any instance. */
    timers: (owner: 'dispatch' | 'alarms') => `${p}timers:{t:${owner}}`,
    /** String: Alarm JSON. */
    alarm: (alarmId: string) => `${p}alarm:{a:${alarmId}}`,
    /** Sorted set by raise time: alarms not yet resolved. */
    openAlarms: `${p}alarms:open`,
    /** Sorted set by raise time: every alarm (listing resolved ones, statistics). */
    allAlarms: `${p}alarms:all`,
    /** String: the welfare timer of a visit in progress (deadline, nurse), JSON; tagged like the order. */
    welfare: (orderId: string) => `${p}welfare:{o:${orderId}}`,
    /** String, set once the alarm's `raised` event went out: a redelivered raise does not announce it again. */
    alarmAnnounced: (alarmId: string) => `${p}alarm:{a:${alarmId}}:announced`,
    /** List: audit entries waiting for JetStream (appended while it was unreachable), drained in order by any instance. */
    auditOutbox: `${p}audit:outbox`,
    /** Set: token subjects (staff ids) whose accounts are disabled; their tokens stop working. */
    disabledSubjects: `${p}auth:disabled`,
  } as const;
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** Number of position/presence shards; fixed per deployment (changing it needs a rebuild). */
export const POSITION_SHARDS = 16;

/** Which shard a nurse's position lives in: FNV-1a of the id, stable across processes. */
export function positionShardOf(nurseId: string, shards = POSITION_SHARDS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < nurseId.length; i++) {
    h ^= nurseId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
