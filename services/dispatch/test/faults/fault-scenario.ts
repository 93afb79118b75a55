import { expect } from 'vitest';
import type { Order } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { CENTRE } from '../fixtures.ts';
import type { FaultCity } from './fault-city.ts';
import type { SimulatedNurses } from './simulated-nurses.ts';
import { streamOrders, type CreatedOrder } from './order-stream.ts';
import { checkInvariants, httpOrderReader, tally, waitUntilSettled, type InvariantReport } from './order-audit.ts';

export interface ScenarioResult {
  created: CreatedOrder[];
  orders: Map<string, Order>;
  report: InvariantReport;
  summary: Record<string, unknown>;
}

/**
 * Streams `count` orders (4 a second) into the city while `fault` runs, then waits for
 * every order to settle (and those `fault` made itself, whose ids it returns) and for
 * the nurses to finish their visits, and checks the invariants. The caller asserts.
 */
export async function runFaultScenario(city: FaultCity, nurses: SimulatedNurses, fault: () => Promise<string[] | void>, count = 60): Promise<ScenarioResult> {
  const stream = streamOrders({ instances: city.urls, token: city.coordinatorToken, count, perSecond: 4, centre: CENTRE });
  const extra = (await fault()) ?? [];
  const created = await stream;
  expect(created.filter((c) => c.outcome === 'gave up'), 'every order was eventually created').toEqual([]);

  const reader = httpOrderReader(() => city.urls()[0] as string, city.coordinatorToken);
  const ids = [...created.map((c) => c.id), ...extra];
  await waitUntilSettled(reader, ids, 120_000);
  // Visits in progress finish (they free the nurses), then the final picture is taken.
  await waitFor(() => nurses.active === 0, { timeoutMs: 90_000, intervalMs: 200, message: 'nurses idle' });
  const orders = await waitUntilSettled(reader, ids, 10_000);
  const report = await checkInvariants(reader, orders, nurses.assignments);
  const summary = {
    created: created.filter((c) => c.outcome === 201).length,
    foundOnRetry: created.filter((c) => c.outcome === 409).length,
    retried: created.filter((c) => c.attempts > 1).length,
    end: tally(orders),
    nurseRetries: nurses.retries,
    nurseFailures: nurses.failureCounts(),
  };
  return { created, orders, report, summary };
}

/** The invariants every fault must keep. */
export async function expectNothingLostOrDoubled(city: FaultCity, { orders, report }: ScenarioResult): Promise<void> {
  expect(report.doubleAssigned, 'orders given to two nurses').toEqual([]);
  expect(report.twoWinners, 'orders two nurses were told they won').toEqual([]);
  expect(report.wrongAssignee, 'orders stored with another nurse than the winner').toEqual([]);
  expect(report.assigneeNotTold, 'orders given to a nurse who was told she lost').toEqual([]);
  expect(report.nursesWithTwoOrders, 'nurses holding two orders at once').toEqual([]);
  expect(report.missingTrace, 'timeline entries lost').toEqual([]);
  // Nurses finish every visit they hold, so an order ends completed, or unassigned when nobody took it.
  expect(Object.keys(tally(orders)).filter((s) => s !== 'completed' && s !== 'unassigned'), JSON.stringify(tally(orders))).toEqual([]);
  // Deadlines of settled orders fire (as no-ops) or were cancelled: none is left behind.
  await waitFor(async () => (await city.redis.zcard(city.timersKey)) === 0, { timeoutMs: 30_000, message: 'no timer left' });
}
