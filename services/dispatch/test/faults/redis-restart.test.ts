import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFaultCity, type FaultCity } from './fault-city.ts';
import { simulateNurses, type SimulatedNurses } from './simulated-nurses.ts';
import { expectNothingLostOrDoubled, runFaultScenario } from './fault-scenario.ts';

// Redis is the truth of every order. Kill -9 it twice in the middle of a stream of
// orders being offered, grabbed and visited through two dispatch instances, restart it
// from its AOF each time, and nothing may be lost or doubled: every order settles, none
// is given to two nurses, no nurse holds two at once or one she was told she lost, the
// timeline keeps every step, and no deadline is left behind.
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

describe('Redis restarts (kill -9, AOF) under load', () => {
  it('every order settles once, on one nurse, with its trace', async () => {
    const result = await runFaultScenario(city, nurses, async () => {
      for (const at of [4_000, 4_000]) {
        await sleep(at);
        await city.infra.redis.kill9();
        await sleep(2_500);
        await city.infra.redis.restart();
      }
    });
    console.info('redis restart:', JSON.stringify(result.summary));
    await expectNothingLostOrDoubled(city, result);
  }, 300_000);
});
