import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import { redisKeys } from '@nursing/contracts';
import { startFaultCity, type FaultCity } from './fault-city.ts';
import { simulateNurses, type SimulatedNurses } from './simulated-nurses.ts';
import { expectNothingLostOrDoubled, runFaultScenario } from './fault-scenario.ts';

// NATS carries offers, nurses' answers and the audit trail (JetStream, file storage).
// Kill -9 nats-server in the middle of a stream of orders and start it again on the
// same store: offers sent meanwhile are lost (an offer then simply expires), nurses'
// requests fail and are retried, and audit entries written meanwhile must still reach
// the timeline. Nothing may be doubled and no order may be stuck.
let city: FaultCity;
let nurses: SimulatedNurses;

beforeAll(async () => {
  city = await startFaultCity({ instanceCount: 2, nurses: 40 });
  nurses = await simulateNurses(city.infra.natsUrl, city.infra.ns, { accept: 0.6, decline: 0.25, grab: 0.5, stepMs: 300 });
}, 90_000);
afterAll(async () => {
  await nurses?.stop(5_000);
  await city?.close();
}, 60_000);

describe('NATS restarts (kill -9, JetStream file storage) under load', () => {
  it('every order settles once, on one nurse, with its trace', async () => {
    const outbox = redisKeys(city.infra.ns).auditOutbox;
    let waited = 0;
    const result = await runFaultScenario(city, nurses, async () => {
      for (const at of [4_000, 4_000]) {
        await sleep(at);
        await city.infra.nats.kill9();
        // Orders keep moving (Redis is up) while their audit entries wait in the outbox.
        waited = Math.max(waited, await waitFor(async () => city.redis.llen(outbox), { timeoutMs: 10_000, message: 'audit entries waiting in the outbox' }));
        await sleep(2_000);
        await city.infra.nats.restart();
      }
    });
    console.info('nats restart:', JSON.stringify({ ...result.summary, outboxPeak: waited }));
    await expectNothingLostOrDoubled(city, result);
    expect(await city.redis.llen(outbox), 'outbox drained').toBe(0);
  }, 300_000);
});
