import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { CENTRE } from '../fixtures.ts';
import { startFaultCity, type DispatchInstance, type FaultCity } from './fault-city.ts';
import { simulateNurses, type SimulatedNurses } from './simulated-nurses.ts';
import { expectNothingLostOrDoubled, runFaultScenario } from './fault-scenario.ts';
import { postOrder } from './order-stream.ts';

// Shutting an instance down (SIGTERM: runService's close) while it is creating and
// offering orders: requests it already took are answered, nothing half-done is left
// behind, and the deadlines it set (in Redis) are handled by the instance that stays.
let city: FaultCity;
let nurses: SimulatedNurses;

beforeAll(async () => {
  city = await startFaultCity({ instanceCount: 2, nurses: 40 });
  // Many offers expire unanswered, so deadlines set by the leaving instance must be handled by the other.
  nurses = await simulateNurses(city.infra.natsUrl, city.infra.ns, { accept: 0.35, decline: 0.25, grab: 0.5, stepMs: 300 });
}, 90_000);
afterAll(async () => {
  await nurses?.stop(5_000);
  await city?.close();
}, 60_000);

describe('graceful shutdown of a dispatch instance under load', () => {
  it('answers the requests it took, and the other instance carries its orders on', async () => {
    const leaving = city.instances[0] as DispatchInstance;
    const staying = city.instances[1] as DispatchInstance;
    const burst: { id: string; status: number; error: string }[] = [];
    const result = await runFaultScenario(city, nurses, async () => {
      await sleep(4_000);
      // A burst of creations on the leaving instance; shutdown starts while they are in flight.
      let answered = 0;
      const pending = Array.from({ length: 30 }, async (_, i) => {
        const r = await postOrder(leaving.url as string, city.coordinatorToken, CENTRE, `b${i}`, 1000 + i);
        answered++;
        burst.push({ id: `b${i}`, status: r.status, error: r.error });
      });
      await waitFor(() => answered >= 3, { timeoutMs: 20_000, message: 'first answers of the burst' });
      await city.stopInstance(leaving);
      await Promise.all(pending);
      // What the leaving instance refused (503 while closing) or never accepted, the client sends to the other.
      for (const b of burst.filter((x) => x.status !== 201)) {
        const i = Number(b.id.slice(1));
        await waitFor(async () => [201, 409].includes((await postOrder(staying.url as string, city.coordinatorToken, CENTRE, b.id, 1000 + i)).status), {
          timeoutMs: 20_000,
          message: `${b.id} created on the staying instance`,
        });
      }
      return burst.map((b) => b.id);
    });
    const outcomes: Record<string, number> = {};
    for (const b of burst) outcomes[b.status ? String(b.status) : b.error] = (outcomes[b.status ? String(b.status) : b.error] ?? 0) + 1;
    console.info('graceful shutdown:', JSON.stringify({ ...result.summary, burst: outcomes }));

    // Taken requests are answered: 201 (done) or 503 (refused while closing, nothing stored);
    // a connection is never cut in the middle of a request.
    expect(burst.filter((b) => b.status !== 201 && b.status !== 503 && b.error !== 'ECONNREFUSED'), 'requests cut off by the shutdown').toEqual([]);
    expect(outcomes['201'] ?? 0, 'requests answered during shutdown').toBeGreaterThanOrEqual(3);
    await expectNothingLostOrDoubled(city, result);
  }, 300_000);
});
