import type { AuditEntry, Order, OrderState } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import type { Assignment } from './simulated-nurses.ts';

/** States in which dispatch still owes the order a next step (an offer, a window closing). */
export const PENDING: readonly OrderState[] = ['created', 'dispatching', 'offered', 'broadcast'];
/** Timeline actions that give the order to a nurse. */
const ASSIGNING = new Set(['accepted', 'grabbed', 'assigned']);

/** What every timeline must hold for an order that ended in a given state. */
const TRACE_OF: Partial<Record<OrderState, string[]>> = {
  completed: ['created', 'dispatching', 'patient.disclosed', 'en_route', 'arrived', 'in_service', 'completed'],
  unassigned: ['created', 'dispatching', 'unassigned'],
};

export interface OrderReader {
  order(id: string): Promise<Order>;
  timeline(id: string): Promise<AuditEntry[]>;
}

/** Reads orders through a dispatch instance's HTTP API as the coordinator. */
export function httpOrderReader(baseUrl: () => string, token: string): OrderReader {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${baseUrl()}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    order: (id) => get<Order>(`/v1/orders/${id}`),
    timeline: async (id) => (await get<{ entries: AuditEntry[] }>(`/v1/orders/${id}/timeline`)).entries,
  };
}

/** Waits until no order is pending; returns the orders as they ended, or throws naming the stuck ones. */
export async function waitUntilSettled(reader: OrderReader, ids: readonly string[], timeoutMs: number): Promise<Map<string, Order>> {
  let stuck: string[] = [];
  const orders = new Map<string, Order>();
  await waitFor(
    async () => {
      for (const id of ids) orders.set(id, await reader.order(id));
      stuck = ids.filter((id) => PENDING.includes(orders.get(id)?.state as OrderState)).map((id) => `${id}:${orders.get(id)?.state}`);
      return stuck.length === 0;
    },
    { timeoutMs, intervalMs: 500, message: 'every order settled' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; still pending: ${stuck.join(', ')}`);
  });
  return orders;
}

export interface InvariantReport {
  /** Orders whose timeline gives them to more than one nurse, or to one nurse twice. */
  doubleAssigned: string[];
  /** Orders held by a nurse (accepted or later) with no assignment in their timeline: a lost audit entry. */
  assignmentNotAudited: string[];
  /** Orders more than one nurse was told she won (successful accept/grab replies). */
  twoWinners: string[];
  /** Orders whose assignee is not the nurse whose accept/grab succeeded. */
  wrongAssignee: string[];
  /** Orders given to a nurse who was never told so (her reply was lost and her retry refused): nobody will come. */
  assigneeNotTold: string[];
  /** Orders whose timeline lacks a step their final state implies, e.g. `o3: en_route` (lost audit entries). */
  missingTrace: string[];
  /** Nurses who held two orders at the same time. */
  nursesWithTwoOrders: string[];
  /** Every order's timeline actions, for diagnosis. */
  timelines: Map<string, string[]>;
}

/** The properties a fault must not break, checked on settled orders. */
export async function checkInvariants(reader: OrderReader, orders: Map<string, Order>, assignments: readonly Assignment[]): Promise<InvariantReport> {
  const report: InvariantReport = { doubleAssigned: [], assignmentNotAudited: [], twoWinners: [], wrongAssignee: [], assigneeNotTold: [], missingTrace: [], nursesWithTwoOrders: [], timelines: new Map() };
  for (const [id, order] of orders) {
    const entries = await reader.timeline(id);
    report.timelines.set(id, entries.map((e) => e.action));
    const given = entries.filter((e) => ASSIGNING.has(e.action));
    const actions = new Set(entries.map((e) => e.action));
    const missing = (TRACE_OF[order.state] ?? []).filter((a) => !actions.has(a));
    if (order.assignedNurseId && given.length === 0) missing.push('accepted|grabbed');
    if (missing.length) report.missingTrace.push(`${id}: ${missing.join(', ')}`);
    if (given.length > 1) report.doubleAssigned.push(`${id}: ${given.map((e) => `${e.action} ${e.action === 'assigned' ? String(e.details?.['nurseId']) : e.actor.id}`).join(', ')}`);
    if (order.assignedNurseId && given.length === 0) report.assignmentNotAudited.push(`${id} (${order.state}, ${order.assignedNurseId})`);
    const winners = new Set(assignments.filter((a) => a.orderId === id).map((a) => a.nurseId));
    if (winners.size > 1) report.twoWinners.push(`${id}: ${[...winners].join(', ')}`);
    if (winners.size === 1 && order.assignedNurseId !== [...winners][0]) report.wrongAssignee.push(`${id}: told ${[...winners][0]}, stored ${order.assignedNurseId}`);
    if (winners.size === 0 && order.assignedNurseId && !order.manualAssignment) report.assigneeNotTold.push(`${id}: ${order.assignedNurseId} (${order.state})`);
  }
  // Each nurse's orders as [accepted, completed) intervals; any two that overlap are a double booking.
  const byNurse = new Map<string, { id: string; from: number; to: number }[]>();
  for (const order of orders.values()) {
    if (!order.assignedNurseId || !order.acceptedAt) continue;
    const spans = byNurse.get(order.assignedNurseId) ?? [];
    spans.push({ id: order.id, from: Date.parse(order.acceptedAt), to: order.completedAt ? Date.parse(order.completedAt) : Number.POSITIVE_INFINITY });
    byNurse.set(order.assignedNurseId, spans);
  }
  for (const [nurseId, spans] of byNurse) {
    spans.sort((a, b) => a.from - b.from);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i]!.from < spans[i - 1]!.to) report.nursesWithTwoOrders.push(`${nurseId}: ${spans[i - 1]!.id} and ${spans[i]!.id}`);
    }
  }
  return report;
}

/** How the orders ended, e.g. { completed: 40, unassigned: 3 }. */
export function tally(orders: Map<string, Order>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of orders.values()) counts[o.state] = (counts[o.state] ?? 0) + 1;
  return counts;
}
