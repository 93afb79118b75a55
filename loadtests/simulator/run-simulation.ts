import { NURSE_CLIENT_FRAMES, type CatalogItem } from '@nursing/contracts';
import { createNurseClient } from '@nursing/nurse-client';
import { startCoordinators } from './coordinators.ts';
import { generateFleet, generateInstitutions } from './fleet.ts';
import { createApi, errorCodeOf } from './http-client.ts';
import { settleLeftoverVisits } from './leftover-visits.ts';
import type { NurseWorld } from './nurse-world.ts';
import type { SimOptions } from './options.ts';
import { watchOrders } from './order-watch.ts';
import { createPositionMemory } from './position-memory.ts';
import { registerFleet } from './register-fleet.ts';
import { startProgressReporter } from './progress-reporter.ts';
import { rngFor, exponential, pick, seededRng } from './rng.ts';
import { createSecurityOfficer } from './security-officer.ts';
import { createSimNurse, type SimNurseHandle } from './sim-nurse.ts';
import { createSimStats, type SimStats } from './sim-stats.ts';
import { createSimTokens } from './tokens.ts';

export interface SimulationResult {
  stats: SimStats;
  /** Errors within `maxErrors`. */
  ok: boolean;
  summary: string;
}

export interface SimulationDeps {
  print: (line: string) => void;
  /** Stops the run early (Ctrl-C). */
  signal?: AbortSignal;
  /** Signing secret; by default JWT_SECRET or the development secret, as `npm run token` uses. */
  secret?: string;
}

/** Registers the fleet, runs nurses, coordinators and drills for the duration, and reports. */
export async function runSimulation(options: SimOptions, deps: SimulationDeps): Promise<SimulationResult> {
  const { print } = deps;
  const api = createApi(options.baseUrl);
  const tokens = createSimTokens(deps.secret);
  const stats = createSimStats();

  const catalog = await api('GET', '/v1/catalog', tokens.admin()).catch((err: unknown) => {
    throw new Error(`cannot reach ${options.baseUrl} (${(err as Error).message}): is \`npm start\` running?`);
  });
  if (catalog.status !== 200) throw new Error(`GET /v1/catalog answered ${catalog.status} ${errorCodeOf(catalog)}: is the signing secret the server's?`);
  const items = (catalog.body as { items: CatalogItem[] }).items;

  const institutions = generateInstitutions(options.institutions, options.spreadKm, options.seed, options.prefix);
  const fleet = generateFleet(options.nurses, institutions, options.spreadKm, options.seed, options.prefix);
  const eligible = fleet.filter((n) => n.eligible).length;
  print(`fleet: ${fleet.length} nurses at ${institutions.length} institutions; ${eligible} meet title, years, training and suspension rules, ${fleet.length - eligible} do not`);
  const t0 = Date.now();
  await registerFleet(api, tokens.admin(), institutions, fleet);
  const leftover = await settleLeftoverVisits({ api, tokens, institutions, items: new Map(items.map((i) => [i.code, i])), rng: seededRng(options.seed ^ 0x1ef7) });
  if (leftover.cancelled + leftover.completed > 0) {
    print(`an earlier run left visits in progress: ${leftover.cancelled} cancelled, ${leftover.completed} completed (their nurses start free)`);
  }
  const officer = createSecurityOfficer({ api, token: () => tokens.security(), stats, handleAfterS: options.drillHandledAfterS });
  const leftoverDrills = await officer.settleLeftover(new Set(fleet.map((n) => n.profile.id)));
  if (leftoverDrills > 0) print(`an earlier run left ${leftoverDrills} drill(s) open: resolved`);
  print(`registered in ${((Date.now() - t0) / 1000).toFixed(1)} s; connecting ${fleet.length} nurses at ${options.connectPerSecond}/s`);

  let stopping = false;
  const world: NurseWorld = {
    options,
    stats,
    items: new Map(items.map((i) => [i.code, i])),
    alarmFrames: 'alarm' in NURSE_CLIENT_FRAMES,
    disableAlarms(why) {
      if (!world.alarmFrames) return;
      world.alarmFrames = false;
      print(`drill alarms skipped from now on: the gateway refused the alarm frame (${why})`);
    },
    stopping: () => stopping,
    now: Date.now,
  };
  if (!world.alarmFrames && options.drillAlarmsPerMinute > 0) print('drill alarms skipped: this version of the gateway has no `alarm` frame');

  const memory = createPositionMemory(options.stateFile, options.baseUrl);
  const wsBase = options.baseUrl.replace(/^http/, 'ws');
  const nurses: SimNurseHandle[] = [];
  const clients: { connected: boolean }[] = [];
  const ticker = setInterval(() => {
    for (const n of nurses) n.tick(1);
  }, 1_000);
  const watch = watchOrders({ wsBase, token: tokens.admin(), spreadKm: options.spreadKm, stats });
  const reporter = startProgressReporter({ stats, nurses: () => nurses, connected: () => clients.filter((c) => c.connected).length, everyS: options.reportEveryS, print });
  const savePositions = () => memory.save(new Map(nurses.map((n) => [n.id, n.position()])));
  const saver = setInterval(savePositions, 30_000);

  const ended = new Promise<void>((resolve) => {
    if (options.durationS > 0) setTimeout(resolve, options.durationS * 1000).unref();
    deps.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  let over = false;
  void ended.then(() => (over = true));

  // Open sockets at a bounded rate: a city's phones do not all connect in the same millisecond.
  for (const [i, nurse] of fleet.entries()) {
    if (over) break;
    const client = createNurseClient({
      url: `${wsBase}/ws/nurse`,
      token: tokens.nurse(nurse.profile.id, nurse.profile.institutionId),
      backoff: { minDelayMs: 1_000, maxDelayMs: 15_000, jitterMs: 2_000 },
    });
    clients.push(client);
    nurses.push(createSimNurse(world, nurse, client, memory.get(nurse.profile.id) ?? nurse.home, rngFor(options.seed ^ 0x5eed, i)));
    if ((i + 1) % Math.max(1, Math.round(options.connectPerSecond / 10)) === 0) await new Promise((r) => setTimeout(r, 100));
  }

  const coordinators = startCoordinators({ api, tokens, institutions, items, options, stats, rng: seededRng(options.seed ^ 0xc00d) });
  const drillRng = seededRng(options.seed ^ 0xa1a4);
  let drillTimer: NodeJS.Timeout | undefined;
  const nextDrill = () => {
    if (!world.alarmFrames || options.drillAlarmsPerMinute <= 0 || stopping) return;
    drillTimer = setTimeout(() => {
      const online = nurses.filter((n) => n.online());
      if (online.length > 0) {
        void pick(drillRng, online)
          .raiseDrill()
          .then((alarmId) => alarmId && officer.handle(alarmId));
      }
      nextDrill();
    }, exponential(drillRng, 60_000 / options.drillAlarmsPerMinute));
  };
  nextDrill();

  await ended;
  print(reporter.line());
  print('stopping: nurses go offline and disconnect');
  stopping = true;
  clearTimeout(drillTimer);
  officer.stop();
  clearInterval(ticker);
  clearInterval(saver);
  await coordinators.stop();
  savePositions();
  for (let i = 0; i < nurses.length; i += 200) await Promise.all(nurses.slice(i, i + 200).map((n) => n.stop()));
  await watch.stop();
  reporter.stop();

  const ok = stats.errors <= options.maxErrors;
  const kinds = stats.errorKinds().map(([k, n]) => `  ${n} x ${k}${stats.sample(k) ? ` (e.g. ${stats.sample(k)})` : ''}`);
  const c = stats.counters;
  const summary = [
    `summary: ${c.ordersCreated} orders created, ${stats.orders.completed.size} completed; ${c.offersReceived} offers (${c.accepts} accepted, ${c.declines} declined), ${c.broadcastsReceived} broadcasts (${c.grabsWon} grabs won, ${c.grabsLost} lost); ${c.visitsCompleted} visits completed by nurses; ${c.races} expected races; ${c.drillAlarms} drill alarms; ${c.locationsSent} fixes sent`,
    `errors: ${stats.errors} (threshold ${options.maxErrors})${kinds.length ? `\n${kinds.join('\n')}` : ''}`,
  ].join('\n');
  print(summary);
  return { stats, ok, summary };
}
