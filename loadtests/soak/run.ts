/**
 * The soak: the system under steady location load for a long time (default 30 min),
 * to show its memory stays flat. Not part of CI.
 *
 *   npm run soak                      # 30 minutes, 25k updates/s, gateway+dispatch+alarms in one process
 *   npm run soak -- --minutes 1       # a trial
 *   npm run soak -- --rate 10000 --nurses 2000 --modules gateway --out .data/soak/gw
 *
 * Runs on the Redis and NATS at REDIS_URL / NATS_URL (a fresh namespace, deleted after).
 * The server is a child process (its own event loop, as in production) built from the
 * service modules; the nurses are raw WebSocket clients in this process (bench/lib).
 * Every --sample seconds it reads the server's RSS from /proc; every --gc-every seconds
 * also its memory after full collections (what is really retained; forcing collections
 * stalls a loaded server for a moment, hence less often). At the end it fits a line through the last two
 * thirds of the readings and prints whether memory is flat, and writes soak.json and
 * soak.html (uPlot, inlined) into --out.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openBenchInfra } from '../../bench/lib/bench-infra.ts';
import type { MemorySnapshot } from '../../bench/lib/children/child-ipc.ts';
import { startService, type ServiceChild } from '../../bench/lib/children/start-service.ts';
import { connectFleet } from '../../bench/lib/connect-fleet.ts';
import type { NurseFleet } from '../../bench/lib/nurse-fleet.ts';
import { seededRandom } from '../../bench/lib/stats.ts';
import { judgeFlat, type MemorySample } from './memory-trend.ts';
import { procRssMb } from './proc-rss.ts';
import { writeSoakReport } from './soak-report.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '25000' },
    nurses: { type: 'string', default: '5000' },
    modules: { type: 'string', default: 'gateway,dispatch,alarms' },
    sample: { type: 'string', default: '10' },
    'gc-every': { type: 'string', default: '60' },
    out: { type: 'string', default: `.data/soak/${new Date().toISOString().replace(/[:.]/g, '-')}` },
    help: { type: 'boolean', default: false },
  },
});
const USAGE = 'usage: npm run soak -- [--minutes 30] [--rate 25000] [--nurses 5000] [--modules gateway,dispatch,alarms] [--sample 10] [--gc-every 60] [--out DIR]\n';
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const minutes = Number(args.minutes);
const rate = Number(args.rate);
const nurses = Number(args.nurses);
const sampleS = Number(args.sample);
const gcEveryS = Number(args['gc-every']);
const modules = args.modules.split(',').filter(Boolean);
if (![minutes, rate, nurses, sampleS, gcEveryS].every((n) => Number.isFinite(n) && n > 0)) {
  process.stderr.write(USAGE);
  process.exit(64);
}
const say = (line: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const mb = (bytes: number) => bytes / 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const infra = await openBenchInfra();
let server: ServiceChild | undefined;
let fleet: NurseFleet | undefined;
let exitCode = 0;
try {
  server = await startService(infra, modules, { LOG_LEVEL: 'warn' });
  say(`${modules.join('+')} pid ${server.pid} on port ${server.port}, namespace ${infra.ns}`);
  fleet = (await connectFleet({ infra, gateway: server, count: nurses, random: seededRandom(25_000), say })).fleet;
  // Each nurse may have 4 fixes unacknowledged: a server that falls behind is shown, not flooded.
  const { sent, acked } = fleet.start(rate / nurses, 4);
  say(`offering ${rate} updates/s from ${nurses} nurses for ${minutes} min; a reading every ${sampleS} s`);

  const samples: MemorySample[] = [];
  const t0 = Date.now();
  const endAt = t0 + minutes * 60_000;
  let last = { t: 0, sent: 0, acked: 0 };
  let lastGcS = 0;
  while (Date.now() < endAt) {
    await sleep(Math.min(sampleS * 1000, Math.max(0, endAt - Date.now())));
    const t = (Date.now() - t0) / 1000;
    const dt = t - last.t;
    const sample: MemorySample = {
      t: Math.round(t),
      rssMb: procRssMb(server.pid) ?? NaN,
      sentPerS: Math.round((sent.total - last.sent) / dt),
      storedPerS: Math.round((acked.total - last.acked) / dt),
    };
    last = { t, sent: sent.total, acked: acked.total };
    if (t - lastGcS >= gcEveryS - 1) {
      lastGcS = t;
      const live = await server.request<MemorySnapshot>('memory', undefined, 120_000);
      Object.assign(sample, { liveRssMb: mb(live.rss), liveHeapMb: mb(live.heapUsed), externalMb: mb(live.external) });
    }
    samples.push(sample);
    const s = fleet.stats();
    const afterGc = sample.liveHeapMb === undefined ? '' : `; after GC: RSS ${sample.liveRssMb?.toFixed(1)} MB, retained heap ${sample.liveHeapMb.toFixed(1)} MB`;
    say(`${sample.t} s: RSS ${sample.rssMb.toFixed(1)} MB${afterGc}; ${sample.storedPerS} stored/s of ${sample.sentPerS} sent/s, errors ${JSON.stringify(s.errors)}, closed ${s.closed}`);
  }
  fleet.stop();
  await fleet.drain();
  const stats = fleet.stats();
  const elapsedS = (Date.now() - t0) / 1000;
  const verdict = judgeFlat(samples);
  const { json, html } = writeSoakReport(resolve(args.out), {
    startedAt: new Date(t0).toISOString(),
    minutes,
    modules,
    nurses,
    offeredPerS: rate,
    storedPerS: stats.acked / elapsedS,
    errors: stats.errors,
    socketsClosed: stats.closed,
    verdict,
    samples,
  });
  say(`stored ${Math.round(stats.acked / elapsedS)} updates/s on average (offered ${rate}); errors ${JSON.stringify(stats.errors)}; sockets closed ${stats.closed}`);
  say(`${{ flat: 'MEMORY FLAT', growing: 'MEMORY GROWS', inconclusive: 'INCONCLUSIVE' }[verdict.status]}: ${verdict.reason}`);
  say(`report: ${html} (data: ${json})`);
  if (verdict.status === 'growing') exitCode = 1;
} catch (err) {
  say(`failed: ${(err as Error).message}`);
  if (server) say(`server output:\n${server.output().slice(-2000)}`);
  exitCode = 2;
} finally {
  fleet?.close();
  await server?.stop();
  await infra.close();
}
process.exit(exitCode);
