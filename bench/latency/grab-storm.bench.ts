import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DispatchReply } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { seededRandom } from '../lib/stats.ts';
import { openBenchInfra } from '../lib/bench-infra.ts';
import { startService, type ServiceChild } from '../lib/children/start-service.ts';
import { latencyFigure } from '../lib/figures.ts';
import { httpJson } from '../lib/http-json.ts';
import { createLatencyRecorder, type LatencyRecorder } from '../lib/latency-recorder.ts';
import { byScale } from '../lib/scale.ts';
import { int } from '../lib/ticker.ts';
import type { Benchmark, BenchOptions, Figure, TimeSeries } from '../lib/types.ts';
import { CENTRE, CITY_INSTITUTION, orderBody, seedCity } from '../dispatch/seed-city.ts';

const TARGET_P99_MS = 100;
const SIZES = {
  full: { grabbers: 1_000, rounds: 3 },
  quick: { grabbers: 1_000, rounds: 1 },
  smoke: { grabbers: 40, rounds: 1 },
};
const REQUEST_TIMEOUT_MS = 10_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

interface Storm {
  /** When each reply arrived, ms after the first request was sent. */
  replyTimesMs: number[];
  answered: number;
  winners: number;
  taken: number;
  otherErrors: Record<string, number>;
  timeouts: number;
  lastReplyMs: number;
}

/**
 * Sends every request in one synchronous loop of plain publishes with a reply subject
 * (a few microseconds each, so the last is on the wire milliseconds after the first;
 * nc.request() costs ~100x more per call and would measure this process instead),
 * and records each one's time to its reply on one shared inbox subscription.
 */
async function storm(nc: NatsConnection, subject: string, payloads: readonly string[], recorder: LatencyRecorder): Promise<Storm> {
  const result: Storm = { replyTimesMs: [], answered: 0, winners: 0, taken: 0, otherErrors: {}, timeouts: 0, lastReplyMs: 0 };
  const inbox = `_INBOX.bench.${randomUUID()}`;
  const sentAt = new Float64Array(payloads.length);
  const replies: (string | undefined)[] = new Array(payloads.length);
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const sub = nc.subscribe(`${inbox}.*`, {
    callback: (err, msg) => {
      if (err) return;
      const now = performance.now();
      const i = Number(msg.subject.slice(inbox.length + 1));
      if (replies[i] !== undefined) return;
      replies[i] = decoder.decode(msg.data);
      recorder.record(now - sentAt[i]!);
      result.answered++;
      result.replyTimesMs.push(now - sentAt[0]!);
      result.lastReplyMs = Math.max(result.lastReplyMs, now - sentAt[0]!);
      if (result.answered === payloads.length) done();
    },
  });
  await nc.flush();
  const encoded = payloads.map((p) => encoder.encode(p));
  for (let i = 0; i < encoded.length; i++) {
    sentAt[i] = performance.now();
    nc.publish(subject, encoded[i]!, { reply: `${inbox}.${i}` });
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, REQUEST_TIMEOUT_MS)))]);
  clearTimeout(timer);
  sub.unsubscribe();
  result.timeouts = payloads.length - result.answered;
  for (const text of replies) {
    if (text === undefined || !text.startsWith('{"ok"')) continue;
    const reply = JSON.parse(text) as DispatchReply;
    if (reply.ok) result.winners++;
    else if (reply.error.code === 'ORDER_TAKEN') result.taken++;
    else result.otherErrors[reply.error.code] = (result.otherErrors[reply.error.code] ?? 0) + 1;
  }
  return result;
}

/**
 * Target 5: 1,000 nurses grab one broadcast order at the same moment, over NATS (the
 * gateway's path): exactly one wins, every one is answered, p99 <= 100 ms. Dispatch
 * runs in a child process. Baseline: 1,000 concurrent request/replies from the same
 * connection to a responder that only echoes, on dispatch's own NATS connection in
 * the same process.
 */
async function run(options: BenchOptions): Promise<Figure[]> {
  const size = byScale(options, SIZES);
  const say = (line: string) => options.progress(`grab-storm: ${line}`);
  const infra = await openBenchInfra();
  let dispatch: ServiceChild | undefined;
  try {
    dispatch = await startService(infra, ['dispatch']);
    say(`dispatch pid ${dispatch.pid} at ${dispatch.baseUrl}`);
    // One more nurse per round: each round's winner is busy afterwards.
    const ids = await seedCity({ baseUrl: dispatch.baseUrl, sign: infra.sign, nurses: size.grabbers + size.rounds, radiusM: 8_000, random: seededRandom(1_000), say });

    const broadcasts = new Map<string, string[]>();
    const inbox = infra.nc.subscribe(`${infra.ns}.nurse.*.inbox`, {
      callback: (err, msg) => {
        if (err) return;
        const text = decoder.decode(msg.data);
        if (!text.startsWith('{"type":"broadcast"')) return;
        const { orderId } = JSON.parse(text) as { orderId: string };
        const list = broadcasts.get(orderId) ?? [];
        list.push(msg.subject.split('.')[2]!);
        broadcasts.set(orderId, list);
      },
    });
    await infra.nc.flush();

    const baseline = createLatencyRecorder();
    const ours = createLatencyRecorder();
    const echoSubject = `${infra.ns}.bench.echo`;
    const rounds: (Storm & { orderId: string; recipients: number })[] = [];
    const echoes: Storm[] = [];
    const coordinator = infra.sign({ sub: 'bench-coord', role: 'coordinator', institution: CITY_INSTITUTION });
    for (let r = 0; r < size.rounds; r++) {
      const echo = await storm(infra.nc, echoSubject, Array.from({ length: size.grabbers }, (_, i) => JSON.stringify({ nurseId: ids[i], orderId: 'echo' })), baseline);
      echoes.push(echo);
      say(`round ${r + 1}: baseline ${int(echo.answered)} echo replies, last after ${echo.lastReplyMs.toFixed(1)} ms`);

      const order = await httpJson<{ id: string; state: string }>(dispatch.baseUrl, 'POST', '/v1/orders', coordinator, orderBody(CENTRE, { mode: 'grab' }), 201);
      if (order.state !== 'broadcast') throw new Error(`grab order is ${order.state}, expected broadcast`);
      const expected = ids.length - r;
      const recipients = await waitFor(() => {
        const got = broadcasts.get(order.id);
        return got && got.length >= expected ? got : undefined;
      }, { timeoutMs: 20_000, message: `broadcast to ${expected} nurses (got ${broadcasts.get(order.id)?.length ?? 0})` });
      const grabbers = recipients.slice(0, size.grabbers);
      const result = await storm(infra.nc, infra.subjects.dispatchGrab, grabbers.map((nurseId) => JSON.stringify({ nurseId, orderId: order.id })), ours);
      rounds.push({ ...result, orderId: order.id, recipients: recipients.length });
      say(`round ${r + 1}: ${int(grabbers.length)} grabs: ${result.winners} winner, ${int(result.taken)} taken, ${result.timeouts} unanswered, last reply after ${result.lastReplyMs.toFixed(1)} ms`);
    }
    inbox.unsubscribe();

    const exactlyOne = rounds.every((r) => r.winners === 1 && r.taken === size.grabbers - 1);
    const allAnswered = rounds.every((r) => r.timeouts === 0 && r.answered === size.grabbers);
    return [
      latencyFigure({
        name: 'grab-storm-latency',
        ours,
        baseline,
        baselineName: `${int(size.grabbers)} concurrent NATS echo request/replies`,
        targetMs: TARGET_P99_MS,
        checks: { 'exactly one winner, every other grab told ORDER_TAKEN': exactlyOne, 'every grab answered': allAnswered },
        details: {
          grabbersPerRound: size.grabbers,
          rounds: size.rounds,
          series: [repliesOverTime(rounds[0]!, echoes[0]!)],
          perRound: JSON.stringify(rounds.map((r) => ({ winners: r.winners, taken: r.taken, unanswered: r.timeouts, otherErrors: r.otherErrors, lastReplyMs: Math.round(r.lastReplyMs) }))),
          notes: [
            `${int(ids.length)} qualified nurses within 8 km of the centre; each round creates one grab-mode order there, waits until its broadcast reached every available nurse, then ${int(size.grabbers)} of them request hn.dispatch.grab at once: one synchronous loop of publishes with reply subjects on one NATS connection (as one gateway instance would forward them), all on the wire within a few milliseconds.`,
            'Latency of a grab = from its publish to its reply. The first grab wins atomically in Redis (a nurse claim, then one Lua transition); the grabs reaching dispatch while it is decided wait for it and are refused ORDER_TAKEN from what it decided, without a Redis call each (between instances Redis still decides). Then the winner is assigned and the others get `taken` on their inboxes.',
            'Baseline: the same number of concurrent requests, from the same connection, to a responder on dispatch\'s own NATS connection that echoes the payload: the cost of NATS request/reply alone at this concurrency.',
          ],
        },
      }),
    ];
  } finally {
    await dispatch?.stop();
    await infra.close();
  }
}

/** Replies received so far against time since the storm began, grabs and echo on one chart (first round). */
function repliesOverTime(grab: Storm, echo: Storm): TimeSeries {
  const binMs = 2;
  const end = Math.max(grab.lastReplyMs, echo.lastReplyMs) + binMs;
  const bins = Math.ceil(end / binMs);
  const cumulative = (times: number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (const t of times) counts[Math.min(bins - 1, Math.floor(t / binMs))]!++;
    let sum = 0;
    return counts.map((c) => (sum += c));
  };
  return {
    title: 'Replies received since the storm began (first round)',
    unit: 'replies',
    t: Array.from({ length: bins }, (_, i) => ((i + 1) * binMs) / 1000),
    lines: [
      { name: 'grabs answered', values: cumulative(grab.replyTimesMs) },
      { name: 'baseline: echo requests answered', values: cumulative(echo.replyTimesMs) },
    ],
  };
}

export const grabStormBenchmark: Benchmark = {
  name: 'grab-storm',
  title: 'Grab storm: 1,000 nurses grab one order at once over NATS',
  run,
};
