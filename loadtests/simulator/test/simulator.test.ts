import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, useSharedInfra, waitFor, type SharedInfra } from '@nursing/testing';
import type { Alarm, CatalogItem, Order } from '@nursing/contracts';
import { generateFleet, generateInstitutions } from '../fleet.ts';
import { createApi } from '../http-client.ts';
import { DEFAULTS } from '../options.ts';
import { orderRequest } from '../order-requests.ts';
import { seededRng } from '../rng.ts';
import { runSimulation } from '../run-simulation.ts';
import { createSimTokens } from '../tokens.ts';

// The simulator against the real all-in-one server (`npm start`, as a child process) on
// a fresh namespace of the shared Redis and NATS: a small, fast city for ~40 s.
const START = fileURLToPath(new URL('../../../infra/local/start.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const SECRET = 'test-secret-for-the-simulator-end-to-end-test-0123456789';

describe('npm run simulate against npm start', () => {
  let infra: SharedInfra;
  let server: ReturnType<typeof spawn> | undefined;
  let exited: Promise<number | null> | undefined;
  let output = '';
  let baseUrl = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'simulate-'));

  beforeAll(async () => {
    infra = await useSharedInfra();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(TSX, [START], {
      env: { ...process.env, PORT: String(port), NAMESPACE: infra.ns, REDIS_URL: infra.redisUrl, NATS_URL: infra.natsUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'warn', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => (output += String(d)));
    server.stderr?.on('data', (d) => (output += String(d)));
    exited = new Promise((resolve) => server?.once('exit', (code) => resolve(code)));
    await waitFor(async () => (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      message: 'npm start ready',
    });
  }, 45_000);

  afterAll(async () => {
    server?.kill('SIGINT');
    await exited;
    await infra?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('50 nurses and 60 orders a minute: orders are created, offered and completed, with no errors', async () => {
    const lines: string[] = [];
    const result = await runSimulation(
      {
        ...DEFAULTS,
        baseUrl,
        nurses: 50,
        institutions: 2,
        ordersPerMinute: 60,
        durationS: 40,
        timeScale: 600,
        maxSpeedMps: 50,
        spreadKm: 0.4,
        locationIntervalS: 2,
        drillAlarmsPerMinute: 12,
        drillHandledAfterS: 5,
        reportEveryS: 5,
        stateFile: '',
        prefix: 'simtest',
      },
      { print: (line) => lines.push(line), secret: SECRET },
    );
    const report = `${lines.join('\n')}\n--- server output ---\n${output.slice(-2000)}`;
    const { counters, orders } = result.stats;
    expect(counters.ordersCreated, report).toBeGreaterThan(10);
    expect(orders.offered.size, report).toBeGreaterThan(5);
    expect(orders.accepted.size, report).toBeGreaterThan(0);
    expect(orders.completed.size, report).toBeGreaterThanOrEqual(1);
    expect(counters.visitsCompleted, report).toBeGreaterThanOrEqual(1);
    expect(counters.locationsSent, report).toBeGreaterThan(200);
    expect(counters.mapPositionsReceived, report).toBeGreaterThan(0);
    // A drill's nurse is asked (by the alarms service, through her inbox) to report every second, and does.
    expect(counters.drillAlarms, report).toBeGreaterThan(0);
    expect(counters.followedFixes, report).toBeGreaterThan(0);
    // The simulated security officer acknowledged and resolved some over the alarms API.
    expect(counters.drillsResolved, report).toBeGreaterThan(0);
    expect(result.stats.errorKinds(), report).toEqual([]);
    expect(result.ok).toBe(true);
    expect(lines.filter((l) => /^\[\s*\d+s\] nurses \d+\/50 connected/.test(l)).length, report).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('a rerun first settles the visits and drills an earlier run left, so its nurses start free', async () => {
    const options = { ...DEFAULTS, baseUrl, nurses: 50, institutions: 2, spreadKm: 0.4, stateFile: '', prefix: 'simtest' };
    const tokens = createSimTokens(SECRET);
    const api = createApi(baseUrl);
    const [institution] = generateInstitutions(options.institutions, options.spreadKm, options.seed, options.prefix);
    const ownNurses = generateFleet(options.nurses, [institution!], options.spreadKm, options.seed, options.prefix).filter((n) => n.profile.institutionId === institution!.id);
    const catalog = (await api('GET', '/v1/catalog', tokens.admin())).body as { items: CatalogItem[] };
    const coordinator = tokens.coordinator(institution!.id);

    // Two visits as a run that was stopped would leave them: one accepted, one in service.
    const held: { id: string; nurseId: string }[] = [];
    for (const nurse of ownNurses) {
      if (held.length === 2) break;
      const created = await api('POST', '/v1/orders', coordinator, orderRequest(seededRng(held.length + 7), institution!, catalog.items, 0, 300, Date.now()));
      expect(created.status).toBe(201);
      const id = (created.body as Order).id;
      const assigned = await api('POST', `/v1/orders/${id}/assign`, coordinator, { nurseId: nurse.profile.id, override: true, reason: 'test: a visit an earlier run left' });
      if (assigned.status !== 200) continue; // she is still on a visit of the first run
      held.push({ id, nurseId: nurse.profile.id });
    }
    expect(held).toHaveLength(2);
    const inService = held[1]!;
    const asNurse = tokens.nurse(inService.nurseId, institution!.id);
    for (const body of [{ step: 'arrived' }, { step: 'started', identityConfirmed: true }]) {
      expect((await api('POST', `/v1/orders/${inService.id}/progress`, asNurse, body)).status).toBe(200);
    }

    // And a drill nobody at the desk handled.
    const drillId = `left-drill-${Date.now()}`;
    const raised = await api('POST', '/v1/alarms', tokens.nurse(ownNurses[0]!.profile.id, institution!.id), { alarmId: drillId, kind: 'panic', drill: true });
    expect(raised.status).toBe(201);

    const lines: string[] = [];
    const result = await runSimulation({ ...options, ordersPerMinute: 0, durationS: 5, drillAlarmsPerMinute: 0, reportEveryS: 5 }, { print: (line) => lines.push(line), secret: SECRET });
    const report = lines.join('\n');
    expect(report).toMatch(/an earlier run left visits in progress: [1-9]\d* cancelled, [1-9]\d* completed/);
    const stateOf = async (id: string) => ((await api('GET', `/v1/orders/${id}`, coordinator)).body as Order).state;
    expect(await stateOf(held[0]!.id)).toBe('cancelled');
    expect(await stateOf(inService.id)).toBe('completed');
    expect(report).toMatch(/an earlier run left [1-9]\d* drill\(s\) open: resolved/);
    expect(((await api('GET', `/v1/alarms/${drillId}`, tokens.security())).body as Alarm).status).toBe('resolved');
    expect(result.stats.errorKinds(), report).toEqual([]);
  }, 90_000);
});
