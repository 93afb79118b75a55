import type { NurseClient } from '@nursing/nurse-client';
import { orderBody } from '../order-body.ts';
import { connectNurses, fixOf, nearCentre, prepareFleet } from '../harness-fleet.ts';
import { createLatency } from '../latency.ts';
import { sleep, type Scenario } from '../scenario.ts';

/**
 * A grab storm: every nurse grabs every broadcast the moment it arrives. Checks the
 * promise of grab mode: exactly one winner per order, every other nurse told ORDER_TAKEN.
 */
export const grabStorm: Scenario = async (s) => {
  const fleet = await prepareFleet(s.baseUrl, s.nurses, s.secret);
  const clients = await connectNurses(s.baseUrl, fleet);
  for (const [i, c] of clients.entries()) {
    await c.status('available');
    await c.request({ type: 'location', ...fixOf(fleet, i) });
  }
  const grabs = createLatency('grab answer');
  const creates = createLatency('POST /v1/orders (grab)');
  const winners = new Map<string, number>();
  let unexpected = 0;
  const pending: Promise<void>[] = [];
  const onBroadcast = (client: NurseClient) =>
    client.on('broadcast', (b) => {
      const t = performance.now();
      pending.push(
        client.grab(b.orderId).then(
          () => {
            grabs.record(performance.now() - t);
            winners.set(b.orderId, (winners.get(b.orderId) ?? 0) + 1);
          },
          (err: { code?: string }) => {
            grabs.record(performance.now() - t);
            if (err.code !== 'ORDER_TAKEN') unexpected++;
          },
        ),
      );
    });
  clients.forEach(onBroadcast);
  // Let dispatch index the fresh positions before the first order.
  await sleep(1_000);

  const started = Date.now();
  const orderIds: string[] = [];
  while (Date.now() - started < s.durationS * 1000) {
    const reply = await creates.time(() => fleet.api('POST', '/v1/orders', fleet.coordinatorToken, orderBody('grab', nearCentre(300))));
    if (reply.status === 201) orderIds.push((reply.body as { id: string }).id);
    else creates.error();
    await sleep(1000 / Math.max(s.rate, 0.1));
  }
  await sleep(3_000);
  await Promise.allSettled(pending);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  const wrong = orderIds.filter((id) => (winners.get(id) ?? 0) !== 1);
  return {
    summaries: [creates.summary(seconds), grabs.summary(seconds)],
    notes: [
      `${orderIds.length} grab orders, ${clients.length} nurses grabbing each; ${orderIds.length - wrong.length} orders with exactly one winner`,
      ...(wrong.length ? [`NOT exactly one winner: ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ', …' : ''}`] : []),
      ...(unexpected ? [`${unexpected} grabs refused with a code other than ORDER_TAKEN`] : []),
    ],
    errors: wrong.length + unexpected + creates.summary(seconds).errors,
  };
};
