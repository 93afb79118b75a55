import { connectNurses, fixOf, prepareFleet } from '../harness-fleet.ts';
import { createLatency } from '../latency.ts';
import { sleep, type Scenario } from '../scenario.ts';

/** `nurses` sockets (the nurse client library) each reporting a fix every 5 s; times each location ack. */
export const nurseLocations: Scenario = async (s) => {
  const fleet = await prepareFleet(s.baseUrl, s.nurses, s.secret);
  const clients = await connectNurses(s.baseUrl, fleet);
  const acks = createLatency('location ack');
  await Promise.all(clients.map((c) => c.status('available')));
  const started = Date.now();
  const loops = clients.map(async (client, i) => {
    await sleep(Math.random() * 5_000);
    while (Date.now() - started < s.durationS * 1000) {
      await acks.time(() => client.request({ type: 'location', ...fixOf(fleet, i) })).catch(() => undefined);
      await sleep(5_000);
    }
  });
  await Promise.all(loops);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  const summary = acks.summary(seconds);
  return { summaries: [summary], notes: [`${clients.length} sockets, one fix per nurse every 5 s`], errors: summary.errors };
};
