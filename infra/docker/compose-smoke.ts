import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createTokenSigner } from '@nursing/auth';
import { callJson, openTestSocket, orderBody, qualifiedNurse, waitFor, type Frame, type TestSocket } from '@nursing/testing';

// Smoke run of the clustered topology (docker-compose.yml) through its one entry point only:
// readiness, one route per service, a push order offered on a nurse socket and accepted, a
// drill alarm from that socket to a security desk. After stopping a NATS node or a Redis master
// from the shell, run it again with --after "<what was stopped>": fresh ids, the same checks,
// with more patience while clients reconnect and the cluster fails over.
//
//   JWT_SECRET=<the stack's> node --import tsx infra/docker/compose-smoke.ts [--after "nats-1 stopped"] [--recheck <institution>/<orderId>]
//
// Each run ends by printing its order as <institution>/<orderId>; pass that to --recheck on a
// later run to check that the order (Redis) and its audit trail (JetStream, R3) survived the stop.
// SMOKE_BASE_URL defaults to http://127.0.0.1:${ENTRY_PORT:-8080}. Exits 1 at the first failed step.
// Responses do not say which replica answered; the entry's access log does ($upstream_addr):
// `docker compose logs entry`.

const { values } = parseArgs({ options: { after: { type: 'string' }, recheck: { type: 'string' } } });
const base = process.env['SMOKE_BASE_URL'] ?? `http://127.0.0.1:${process.env['ENTRY_PORT'] ?? '8080'}`;
const secret = process.env['JWT_SECRET'] ?? '';
if (secret.length < 32) {
  process.stderr.write('JWT_SECRET must be the stack\'s secret (32+ characters)\n');
  process.exit(2);
}
const [recheckInstitution, recheckOrder] = values.recheck?.split('/') ?? [];
if (values.recheck && !(recheckInstitution && recheckOrder)) {
  process.stderr.write('--recheck wants <institution>/<orderId>, as printed at the end of a run\n');
  process.exit(2);
}
// A failover takes seconds (Redis node timeout 5 s, a JetStream leader election); a healthy run needs far less.
const patienceMs = values.after ? 60_000 : 20_000;

// Fresh ids each run: a nurse of an earlier run may still count as available for two minutes.
const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const institution = `inst-smoke-${run}`;
const nurseId = `n-smoke-${run}`;
const centre = { lat: 31.2304, lng: 121.4737 };
const sign = createTokenSigner(secret, 3600);
const tokens = {
  admin: sign({ sub: 'smoke-admin', role: 'admin' }),
  coordinator: sign({ sub: 'smoke-coord', role: 'coordinator', institution }),
  nurse: sign({ sub: nurseId, role: 'nurse', institution }),
  security: sign({ sub: 'smoke-desk', role: 'security' }),
};

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

const call = (method: string, path: string, token: string | undefined, body?: unknown): Promise<Reply> => callJson(base, method, path, token, body);

function expectStatus(reply: Reply, wanted: number[], what: string): Reply {
  if (!wanted.includes(reply.status)) throw new Error(`${what}: HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
  return reply;
}

/** Errors a step has already printed, so the run's end does not print them twice. */
const reported = new WeakSet<object>();

async function step<T>(name: string, action: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
  const started = Date.now();
  try {
    const result = await action();
    console.log(`ok   ${name} (${Date.now() - started} ms)${detail ? `: ${detail(result)}` : ''}`);
    return result;
  } catch (err) {
    console.log(`FAIL ${name} (${Date.now() - started} ms): ${(err as Error).message}`);
    reported.add(err as object);
    throw err;
  }
}

/**
 * GETs `path` until it answers 200 `times` in a row. A healthy stack must do so at once. With
 * --after it may take a while: right after a Redis master stops, requests touching its slots
 * fail until its replica takes over (cluster-node-timeout 5 s); the failures seen on the way
 * are reported, not hidden.
 */
async function answered(path: string, token: string | undefined, times: number): Promise<string> {
  const failures: string[] = [];
  const inARow = async (): Promise<Reply | undefined> => {
    let reply: Reply | undefined;
    for (let i = 0; i < times; i++) {
      reply = await call('GET', path, token);
      if (reply.status !== 200) {
        failures.push(`HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
        return undefined;
      }
    }
    return reply;
  };
  const reply = values.after ? await waitFor(inARow, { timeoutMs: patienceMs, intervalMs: 500, message: `${times} answers from ${path}` }).catch(() => undefined) : await inARow();
  if (!reply) throw new Error(`${path}: ${failures.at(-1)}`);
  const body = JSON.stringify(reply.json).slice(0, 80);
  return failures.length === 0 ? body : `${body}, after ${failures.length} failed tries (first: ${failures[0]})`;
}

/**
 * An order's audit trail. Reading it creates a JetStream consumer, and the first one created
 * after a failover can time out while the new leaders settle: retry, as a coordinator's screen would.
 */
async function timeline(orderId: string, token: string): Promise<string[]> {
  let last: Reply | undefined;
  const entries = await waitFor(
    async () => {
      last = await call('GET', `/v1/orders/${orderId}/timeline`, token);
      return last.status === 200 ? (last.json['entries'] as { action: string }[]) : undefined;
    },
    { timeoutMs: patienceMs, intervalMs: 500, message: `timeline of ${orderId}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last ${last?.status} ${JSON.stringify(last?.json)}`);
  });
  const actions = entries.map((e) => e.action);
  for (const wanted of ['created', 'offered', 'accepted']) if (!actions.includes(wanted)) throw new Error(`no ${wanted} in ${actions.join(', ')}`);
  return actions;
}

const wsUrl = (path: string) => `${base.replace(/^http/, 'ws')}${path}`;
const sockets: TestSocket[] = [];

/** Sends a frame until it is acknowledged: `UNAVAILABLE` (NATS unreachable) means "send it again", as the app does. */
async function sendUntilAcked(socket: TestSocket, frame: Record<string, unknown>): Promise<Frame> {
  let last: Frame | undefined;
  return waitFor(
    async () => {
      const id = `${String(frame['type'])}-${Date.now()}`;
      socket.send({ ...frame, id });
      last = await socket.next((f) => f['id'] === id, 10_000);
      return last.type === 'ack' ? last : undefined;
    },
    { timeoutMs: patienceMs, intervalMs: 500, message: `ack of ${String(frame['type'])}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last answer ${JSON.stringify(last)}`);
  });
}

async function main(): Promise<void> {
  console.log(`compose smoke against ${base}${values.after ? ` after: ${values.after}` : ''} (run ${run})`);

  await step('entry point is up (/healthz, answered by nginx itself)', async () => expectStatus(await call('GET', '/healthz', undefined), [200], 'healthz'));
  // Each path reaches one service; the entry spreads repeated requests over its replicas.
  await step('gateway replicas ready (/readyz x6)', () => answered('/readyz', undefined, 6), (r) => r);
  await step('dispatch replicas answer (/v1/catalog x3)', () => answered('/v1/catalog', tokens.admin, 3), (r) => r);
  await step('alarms replicas answer (/v1/alarms x2)', () => answered('/v1/alarms?limit=1', tokens.security, 2), (r) => r);

  await step(`seed institution ${institution} and nurse ${nurseId}`, async () => {
    expectStatus(await call('POST', '/v1/institutions', tokens.admin, { id: institution, name: 'Smoke centre', kind: 'community_health_centre', location: centre }), [201], 'institution');
    expectStatus(await call('POST', '/v1/nurses', tokens.admin, qualifiedNurse(nurseId, institution)), [201], 'nurse');
  });

  const desk = await step('security desk socket (/ws/security)', async () => {
    const socket = await openTestSocket(wsUrl('/ws/security'), tokens.security, { timeoutMs: patienceMs });
    sockets.push(socket);
    await socket.next((f) => f.type === 'alarms.snapshot');
    return socket;
  });
  const nurse = await step('nurse socket (/ws/nurse): available, 300 m from the patient', async () => {
    const socket = await openTestSocket(wsUrl('/ws/nurse'), tokens.nurse, { timeoutMs: patienceMs });
    sockets.push(socket);
    await sendUntilAcked(socket, { type: 'status', status: 'available' });
    await sendUntilAcked(socket, { type: 'location', lat: centre.lat, lng: centre.lng + 0.003, accuracyM: 10, atMs: Date.now() });
    return socket;
  });

  const orderId = await step('push order created', async () => {
    const created = expectStatus(await call('POST', '/v1/orders', tokens.coordinator, orderBody(centre)), [201], 'create order');
    return String(created.json['id']);
  }, (id) => id);
  await step('order offered to the nurse', async () => {
    // Her position reaches every dispatch replica's index over NATS; until it has, matching
    // finds nobody and the order is unassigned, so redispatch, as a coordinator would.
    let last: Record<string, unknown> = {};
    const order = await waitFor(
      async () => {
        last = expectStatus(await call('GET', `/v1/orders/${orderId}`, tokens.coordinator), [200], 'get order').json;
        if (last['state'] === 'unassigned') await call('POST', `/v1/orders/${orderId}/redispatch`, tokens.coordinator);
        return last['state'] === 'offered' ? last : undefined;
      },
      { timeoutMs: patienceMs, intervalMs: 500, message: `order ${orderId} offered` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last ${JSON.stringify(last)}`);
    });
    const offeredTo = (order['offer'] as { nurseId?: string } | undefined)?.nurseId;
    if (offeredTo !== nurseId) throw new Error(`offered to ${offeredTo}, not ${nurseId}`);
  });
  await step('offer frame on the nurse socket', () => nurse.next((f) => f.type === 'offer' && f['orderId'] === orderId));
  await step('nurse accepts on her socket', async () => {
    const ack = await sendUntilAcked(nurse, { type: 'offer.accept', orderId });
    const state = (ack['result'] as { order?: { state?: string } } | undefined)?.order?.state;
    if (state !== 'accepted') throw new Error(`ack says ${JSON.stringify(ack)}`);
  });
  await step('order assigned (read back over HTTP)', async () => {
    const order = expectStatus(await call('GET', `/v1/orders/${orderId}`, tokens.coordinator), [200], 'get order').json;
    if (order['state'] !== 'accepted' || order['assignedNurseId'] !== nurseId) throw new Error(JSON.stringify(order));
    return order;
  }, (order) => `state ${String(order['state'])}, nurse ${String(order['assignedNurseId'])}`);

  await step('audit timeline of the order (JetStream)', () => timeline(orderId, tokens.coordinator), (actions) => actions.join(', '));
  if (recheckInstitution && recheckOrder) {
    const token = sign({ sub: 'smoke-coord', role: 'coordinator', institution: recheckInstitution });
    await step(`earlier order ${recheckOrder} still accepted (Redis)`, async () => {
      const order = expectStatus(await call('GET', `/v1/orders/${recheckOrder}`, token), [200], 'get earlier order').json;
      if (order['state'] !== 'accepted') throw new Error(JSON.stringify(order));
    });
    await step(`audit timeline of earlier order ${recheckOrder} still complete`, () => timeline(recheckOrder, token), (actions) => actions.join(', '));
  }

  const alarmId = `smoke-${run}`;
  await step(`drill alarm ${alarmId} raised on the nurse socket, stored`, () => sendUntilAcked(nurse, { type: 'alarm', alarmId, drill: true }));
  await step('alarm reaches the security desk socket', () =>
    desk.next((f) => f.type === 'alarm' && f['event'] === 'raised' && (f['alarm'] as { alarmId?: string }).alarmId === alarmId),
  );
  // Resolved so it stops escalating; also goes through the alarms replicas over HTTP.
  await step('desk acknowledges and resolves it (HTTP)', async () => {
    expectStatus(await call('POST', `/v1/alarms/${alarmId}/acknowledge`, tokens.security, { notes: 'smoke drill' }), [200], 'acknowledge');
    expectStatus(await call('POST', `/v1/alarms/${alarmId}/resolve`, tokens.security, { notes: 'smoke drill' }), [200], 'resolve');
  });
  await sendUntilAcked(nurse, { type: 'status', status: 'offline' }).catch(() => undefined);
  console.log(`order of this run (for --recheck): ${institution}/${orderId}`);
}

try {
  await main();
  console.log('compose smoke passed');
} catch (err) {
  if (!reported.has(err as object)) console.log(`FAIL ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const s of sockets) s.close();
}
