import { randomUUID } from 'node:crypto';
import { connectNurses, fixOf, prepareFleet } from '../harness-fleet.ts';
import { createLatency } from '../latency.ts';
import { sleep, type Scenario } from '../scenario.ts';

/**
 * Drill panic alarms while every nurse reports a fix every 5 s: alarms alternate between
 * POST /v1/alarms and the socket's `alarm` frame, at `rate` per second; each is timed to
 * its acknowledgement (the alarm is stored durably before that).
 */
export const alarmsUnderLoad: Scenario = async (s) => {
  const fleet = await prepareFleet(s.baseUrl, s.nurses, s.secret);
  const clients = await connectNurses(s.baseUrl, fleet);
  await Promise.all(clients.map((c) => c.status('available')));
  const fixes = createLatency('location ack (background)');
  const viaHttp = createLatency('alarm over HTTP');
  const viaSocket = createLatency('alarm over the socket');
  const started = Date.now();
  const running = () => Date.now() - started < s.durationS * 1000;
  const background = clients.map(async (c, i) => {
    await sleep(Math.random() * 5_000);
    while (running()) {
      await fixes.time(() => c.request({ type: 'location', ...fixOf(fleet, i) })).catch(() => undefined);
      await sleep(5_000);
    }
  });
  const alarms: Promise<unknown>[] = [];
  const firstError: string[] = [];
  for (let n = 0; running(); n++) {
    const i = Math.floor(Math.random() * clients.length);
    const body = { alarmId: `lt-drill-${randomUUID()}`, kind: 'panic', drill: true };
    if (n % 2 === 0) {
      alarms.push(
        viaHttp
          .time(async () => {
            const r = await fleet.api('POST', '/v1/alarms', fleet.tokens.nurse(fleet.nurseIds[i]!, fleet.institutionId), body);
            if (r.status >= 300) throw new Error(`HTTP ${r.status}`);
          })
          .catch(() => undefined),
      );
    } else {
      alarms.push(viaSocket.time(() => clients[i]!.request({ type: 'alarm', ...body })).catch((err: Error) => firstError.push(err.message)));
    }
    await sleep(1000 / Math.max(s.rate, 0.1));
  }
  await Promise.all([...background, ...alarms]);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  const summaries = [viaHttp.summary(seconds), viaSocket.summary(seconds), fixes.summary(seconds)];
  return { summaries, notes: [`${clients.length} nurses reporting in the background`, ...firstError.slice(0, 1).map((m) => `first socket alarm error: ${m}`)], errors: summaries.reduce((n, x) => n + x.errors, 0) };
};
