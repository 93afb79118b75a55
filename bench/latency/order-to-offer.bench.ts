import { seededRandom } from '../lib/stats.ts';
import { openBenchInfra } from '../lib/bench-infra.ts';
import { startService, type ServiceChild } from '../lib/children/start-service.ts';
import { cpuMeter } from '../lib/cpu-usage.ts';
import { latencyFigure } from '../lib/figures.ts';
import { createLatencyRecorder } from '../lib/latency-recorder.ts';
import { openLoop } from '../lib/open-loop.ts';
import { createRateMeter, rateSeries } from '../lib/rate-meter.ts';
import { byScale } from '../lib/scale.ts';
import { int, tickProgress } from '../lib/ticker.ts';
import type { Benchmark, BenchOptions, Figure } from '../lib/types.ts';
import { CITY_INSTITUTION, orderBody, randomPlace, seedCity } from '../dispatch/seed-city.ts';

const TARGET_P99_MS = 50;
const SIZES = {
  full: { nurses: 2_000, ratePerS: 200, measureS: 20, baselineS: 10 },
  quick: { nurses: 500, ratePerS: 200, measureS: 4, baselineS: 2 },
  smoke: { nurses: 30, ratePerS: 20, measureS: 1, baselineS: 1 },
};
/** Nurses live within 8 km of the centre, orders within 5 km: every order has candidates within 10 km. */
const NURSE_RADIUS_M = 8_000;
const ORDER_RADIUS_M = 5_000;
/**
 * Orders come from this many coordinators of the institution, round-robin: dispatch
 * allows one coordinator ORDER_CREATE_LIMIT_PER_MIN (120) orders a minute, and 200/s
 * is a city's worth of coordinators, not one. The limiter stays in the measured path.
 */
const COORDINATORS = 100;
const decoder = new TextDecoder();

/**
 * Target 4: a coordinator's order (push mode) reaches the chosen nurse's inbox within
 * 50 ms at p99, with orders arriving at 200/s. Dispatch runs in a child process; this
 * process posts orders open-loop (arrivals do not wait for answers) and listens on
 * every nurse inbox. Latency = from just before the HTTP request is sent to the
 * offer's arrival on `nurse.<id>.inbox`, whichever comes first of it and the HTTP reply.
 */
async function run(options: BenchOptions): Promise<Figure[]> {
  const size = byScale(options, SIZES);
  const say = (line: string) => options.progress(`order-to-offer: ${line}`);
  const random = seededRandom(200);
  const infra = await openBenchInfra();
  let dispatch: ServiceChild | undefined;
  try {
    dispatch = await startService(infra, ['dispatch']);
    const baseUrl = dispatch.baseUrl;
    say(`dispatch pid ${dispatch.pid} at ${baseUrl}`);
    await seedCity({ baseUrl, sign: infra.sign, nurses: size.nurses, radiusM: NURSE_RADIUS_M, random, say });

    // Baseline: the same HTTP client and server, a route that does nothing.
    say(`baseline: GET /healthz at ${size.ratePerS}/s for ${size.baselineS} s`);
    const baseline = createLatencyRecorder();
    await openLoop(size.ratePerS, size.baselineS * 1000, async () => {
      const t = performance.now();
      const res = await fetch(`${baseUrl}/healthz`);
      await res.text();
      baseline.record(performance.now() - t);
    });
    say(`baseline: p99 ${baseline.percentileMs(99).toFixed(1)} ms`);

    const startMs = Date.now();
    const ours = createLatencyRecorder(startMs);
    const httpReply = createLatencyRecorder(startMs);
    const created = createRateMeter(startMs);
    const offered = createRateMeter(startMs);
    const sentAt = new Map<string, number>();
    const offerAt = new Map<string, number>();
    const failures: Record<string, number> = {};
    let measured = 0;
    const match = (orderId: string): void => {
      const s = sentAt.get(orderId);
      const o = offerAt.get(orderId);
      if (s === undefined || o === undefined) return;
      ours.record(o - s);
      measured++;
      sentAt.delete(orderId);
    };
    const inbox = infra.nc.subscribe(`${infra.ns}.nurse.*.inbox`, {
      callback: (err, msg) => {
        if (err) return;
        const t = performance.now();
        const text = decoder.decode(msg.data);
        if (!text.startsWith('{"type":"offer"')) return;
        const { orderId } = JSON.parse(text) as { orderId: string };
        if (offerAt.has(orderId)) return;
        offerAt.set(orderId, t);
        offered.add();
        match(orderId);
      },
    });
    await infra.nc.flush();

    const coordinators = Array.from({ length: COORDINATORS }, (_, i) => infra.sign({ sub: `bench-coord-${i}`, role: 'coordinator', institution: CITY_INSTITUTION }));
    const cpu = await cpuMeter(infra.redis, dispatch.pid);
    const stop = tickProgress(say, () => `${int(created.lastSecond())} orders/s created, ${int(offered.lastSecond())} offers/s, p99 so far ${ours.percentileMs(99).toFixed(1)} ms`);
    say(`posting push orders at ${size.ratePerS}/s for ${size.measureS} s`);
    const load = await openLoop(size.ratePerS, size.measureS * 1000, async (i) => {
      const body = JSON.stringify(orderBody(randomPlace(random, ORDER_RADIUS_M)));
      const t = performance.now();
      const res = await fetch(`${baseUrl}/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${coordinators[i % COORDINATORS]}`, 'content-type': 'application/json' }, body });
      const text = await res.text();
      httpReply.record(performance.now() - t);
      if (res.status !== 201) {
        failures[res.status] = (failures[res.status] ?? 0) + 1;
        return;
      }
      const { id } = JSON.parse(text) as { id: string };
      created.add();
      sentAt.set(id, t);
      match(id);
    });
    const cores = await cpu();
    // Offers still on their way (the HTTP reply can come first).
    const deadline = Date.now() + 5_000;
    while (sentAt.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    stop();
    inbox.unsubscribe();
    const missing = sentAt.size;
    const achieved = created.total / size.measureS;
    say(`${int(created.total)} orders, ${int(measured)} offers matched, ${missing} without an offer; p99 ${ours.percentileMs(99).toFixed(1)} ms`);
    const seconds = size.measureS + 1;

    return [
      latencyFigure({
        name: 'order-to-offer-latency',
        ours,
        baseline,
        baselineName: 'GET /healthz round trip, same rate',
        targetMs: TARGET_P99_MS,
        checks: {
          'every order reached a nurse': missing === 0 && created.total > 0,
          'no failed requests': Object.keys(failures).length === 0 && load.failed === 0,
          [`orders at ${size.ratePerS}/s`]: achieved >= 0.95 * size.ratePerS,
        },
        details: {
          nurses: size.nurses,
          ordersPerSecondOffered: size.ratePerS,
          ordersPerSecondCreated: achieved,
          orders: created.total,
          offersMatched: measured,
          ordersWithoutOffer: missing,
          httpFailures: JSON.stringify(failures),
          httpReplyP99Ms: httpReply.percentileMs(99),
          httpReplyP50Ms: httpReply.percentileMs(50),
          generatorLateTicks: load.lateTicks,
          dispatchCores: cores.serviceCores,
          generatorCores: cores.generatorCores,
          redisCores: cores.redisCores,
          otherCores: cores.otherCores,
          series: [
            ours.perSecond('Order to offer latency'),
            rateSeries('Orders and offers per second', 'per second', seconds, [
              { name: 'orders created', meter: created },
              { name: 'offers on nurse inboxes', meter: offered },
            ]),
          ],
          notes: [
            `${int(size.nurses)} qualified nurses, available, within ${NURSE_RADIUS_M / 1000} km of the centre, registered through dispatch's HTTP API; each order is a PICC maintenance visit in push mode at a random point within ${ORDER_RADIUS_M / 1000} km, from ${COORDINATORS} coordinators in turn (dispatch limits each coordinator to ORDER_CREATE_LIMIT_PER_MIN orders a minute; the limiter's Redis check is part of the measured path).`,
            'Per order dispatch validates, stores the order and the patient apart, appends to the JetStream audit trail, matches (in-process H3 index + eligibility + ranking with a Redis workload read), transitions atomically in Redis, schedules the expiry timer and publishes the offer.',
            'Baseline: GET /healthz on the same dispatch process at the same rate, from the same HTTP client: the cost of the HTTP round trip alone. The order path adds its own work on top, and the offer travels over NATS rather than back over HTTP.',
            'Open loop: requests are sent on schedule whether or not earlier ones were answered, so queueing in dispatch shows up in the latency instead of slowing the arrivals down.',
          ],
        },
      }),
    ];
  } finally {
    await dispatch?.stop();
    await infra.close();
  }
}

export const orderToOfferBenchmark: Benchmark = {
  name: 'order-to-offer',
  title: 'Order-to-offer latency: POST /v1/orders (push) at 200/s -> offer on the nurse inbox',
  run,
};
