import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import destination from '@turf/destination';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { natsSubjects, positionShardOf, streamNames, type LatLng } from '@nursing/contracts';
import { createTokenSigner } from '@nursing/auth';
import { orderBody, qualifiedNurse as sharedNurse, startNatsCluster, startRedisCluster, testNamespace, waitFor, type LocalNatsCluster, type LocalRedisCluster } from '@nursing/testing';
import { call, CLUSTER_TEST_SECRET, openNurseSocket, startService, type NurseSocket, type Reply, type RunningService } from './cluster-harness.ts';

// The clustered topology on loopback: a 3-node NATS cluster with the audit stream on
// three replicas, a 3-master Redis Cluster, two dispatch instances and a gateway. An
// order flows end to end (nurse socket -> gateway -> NATS -> dispatch -> Redis Cluster),
// then the NATS node that leads the audit stream is killed with SIGKILL and orders must
// keep flowing with every audit entry still readable.
// An alarms instance runs too: a panic raised on a nurse socket before and after the
// kill reaches the security desk, each exactly once.

const CENTRE: LatLng = { lat: 31.2304, lng: 121.4737 };
const FAR_AWAY = offset(CENTRE, 30_000); // beyond the 10 km radius: only the nurse there can serve it
const INSTITUTION = 'inst-cluster';
const sign = createTokenSigner(CLUSTER_TEST_SECRET);
const admin = sign({ sub: 'admin-1', role: 'admin' });
const coordinator = sign({ sub: 'coord-1', role: 'coordinator', institution: INSTITUTION });
const nurseToken = (id: string) => sign({ sub: id, role: 'nurse', institution: INSTITUTION });

function offset(from: LatLng, meters: number, bearingDeg = 90): LatLng {
  const [lng, lat] = destination([from.lng, from.lat], meters, bearingDeg, { units: 'meters' }).geometry.coordinates as [number, number];
  return { lat, lng };
}

const qualifiedNurse = (id: string) => sharedNurse(id, INSTITUTION, { certifications: [{ code: 'picc', expiresOn: '2030-12-31' }] });
const pushOrder = (location: LatLng) => orderBody(location);

let nats: LocalNatsCluster;
let redis: LocalRedisCluster;
let nc: NatsConnection;
let jsm: JetStreamManager;
let dispatchA: RunningService;
let dispatchB: RunningService;
let gateway: RunningService;
let desk: NurseSocket;
const services: RunningService[] = [];
const sockets: NurseSocket[] = [];
const ns = testNamespace();
const { audit: auditStream, alarms: alarmsStream, alarmsConsumer } = streamNames(ns);
/** Index of the node the audit-leader test killed; it comes back before the next kill. */
let killed = -1;

beforeAll(async () => {
  [nats, redis] = await Promise.all([startNatsCluster({ size: 3, readyTimeoutMs: 60_000 }), startRedisCluster({ masters: 3, readyTimeoutMs: 60_000 })]);
  nc = await connect({ servers: nats.urls, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  jsm = await jetstreamManager(nc);
  // What NATS_STREAM_REPLICAS=3 asks of the services; created here so the test does not
  // depend on which instance creates it first (they leave an existing stream alone).
  await jsm.streams.add({ name: auditStream, subjects: [natsSubjects(ns).allAudit], storage: StorageType.File, num_replicas: 3 });

  const env = {
    NAMESPACE: ns,
    REDIS_URL: redis.nodes.map((n) => `redis://${n.host}:${n.port}`).join(','),
    NATS_URL: nats.urls.join(','),
    NATS_STREAM_REPLICAS: '3',
    TIMER_POLL_MS: '100',
  };
  dispatchA = await startService('dispatch', 'dispatch-a', env);
  services.push(dispatchA);
  dispatchB = await startService('dispatch', 'dispatch-b', env);
  services.push(dispatchB);
  gateway = await startService('gateway', 'gateway-1', env);
  services.push(gateway);
  services.push(await startService('alarms', 'alarms-1', env));
  desk = await openNurseSocket(`${gateway.baseUrl.replace(/^http/, 'ws')}/ws/security`, sign({ sub: 'desk-1', role: 'security' }));
  sockets.push(desk);
  await desk.next((f) => f.type === 'alarms.snapshot');

  expect((await call(dispatchA.baseUrl, 'POST', '/v1/institutions', admin, { id: INSTITUTION, name: 'Cluster centre', kind: 'community_health_centre', location: CENTRE })).status).toBe(201);
  for (const id of ['n-near', 'n-far']) {
    const created = await call(dispatchB.baseUrl, 'POST', '/v1/nurses', admin, qualifiedNurse(id));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
  }
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const s of services.reverse()) await s.close().catch(() => undefined);
  await nc?.close().catch(() => undefined);
  await Promise.all([nats?.stop(), redis?.stop()]);
}, 60_000);

/**
 * Nurses' apps come online over the gateway: available, then each sends her position.
 * The positions are sent together so the gateway writes them in one batch, which spans
 * two Redis Cluster slots (one script call per position shard).
 */
async function nursesOnline(nurses: { id: string; at: LatLng }[]): Promise<NurseSocket[]> {
  const online = await Promise.all(
    nurses.map(async ({ id }) => {
      const socket = await openNurseSocket(`${gateway.baseUrl.replace(/^http/, 'ws')}/ws/nurse`, nurseToken(id));
      sockets.push(socket);
      socket.send({ type: 'status', id: 's1', status: 'available' });
      await socket.next((f) => f['id'] === 's1');
      return socket;
    }),
  );
  nurses.forEach(({ at }, i) => online[i]!.send({ type: 'location', id: 'l1', lat: at.lat, lng: at.lng, accuracyM: 10, atMs: Date.now() }));
  for (const socket of online) expect(await socket.next((f) => f['id'] === 'l1')).toMatchObject({ type: 'ack', ok: true });
  return online;
}

/**
 * Creates a push order on `via` and waits until it is offered. The nurse's position
 * reaches every dispatch index over NATS; until it has, matching finds nobody and the
 * order is unassigned, so the coordinator redispatches, as they would in the app.
 */
async function createOffered(via: RunningService, location: LatLng): Promise<{ id: string; offeredTo: string }> {
  const created = await call(via.baseUrl, 'POST', '/v1/orders', coordinator, pushOrder(location));
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const id = created.json.id as string;
  let last: Reply | undefined;
  const order = await waitFor(
    async () => {
      const o = (await call(via.baseUrl, 'GET', `/v1/orders/${id}`, coordinator)).json;
      last = o;
      if (o.state === 'unassigned') await call(via.baseUrl, 'POST', `/v1/orders/${id}/redispatch`, coordinator);
      return o.state === 'offered' ? o : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, message: `order ${id} offered` },
  ).catch(async (err: Error) => {
    const candidates = (await call(via.baseUrl, 'GET', `/v1/orders/${id}/candidates`, coordinator)).json;
    throw new Error(`${err.message}; order ${JSON.stringify(last)}; candidates ${JSON.stringify(candidates)}`);
  });
  return { id, offeredTo: order.offer?.nurseId ?? '' };
}

/** The nurse accepts the offer on her socket; the other dispatch instance sees the result. */
async function acceptOnSocket(socket: NurseSocket, orderId: string, other: RunningService): Promise<void> {
  await socket.next((f) => f.type === 'offer' && f['orderId'] === orderId);
  socket.send({ type: 'offer.accept', id: `acc-${orderId}`, orderId });
  const ack = await socket.next((f) => f['id'] === `acc-${orderId}`);
  expect(ack).toMatchObject({ type: 'ack', ok: true, result: { order: { id: orderId, state: 'accepted' } } });
  const seen = await call(other.baseUrl, 'GET', `/v1/orders/${orderId}`, coordinator);
  expect(seen.json).toMatchObject({ state: 'accepted', assignedNurseId: expect.any(String) });
}

/**
 * The order's audit timeline. Reading it creates a JetStream consumer, and the first
 * consumer created after a failover can time out while the meta layer settles (measured
 * here: about 5 s after the new stream leader), so a reader retries, as a coordinator's
 * screen would on its next refresh.
 */
async function timeline(via: RunningService, orderId: string): Promise<{ action: string; at: string }[]> {
  let last = '';
  return waitFor(
    async () => {
      const r = await call(via.baseUrl, 'GET', `/v1/orders/${orderId}/timeline`, coordinator);
      last = `${r.status} ${JSON.stringify(r.json)}`;
      return r.status === 200 ? r.json.entries : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500, message: `timeline of ${orderId}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last reply ${last}`);
  });
}

function raisedOn(socket: NurseSocket, alarmId: string): number {
  return socket.frames.filter((f) => f.type === 'alarm' && f['event'] === 'raised' && (f['alarm'] as { alarmId: string }).alarmId === alarmId).length;
}

/**
 * A panic on the nurse's socket: acknowledged once stored (retried on UNAVAILABLE, as the
 * app does), then on the desk once. Returns when each happened.
 */
async function raiseAndSee(nurse: NurseSocket, alarmId: string): Promise<{ storedAt: number; seenAt: number }> {
  await waitFor(
    async () => {
      const frameId = `${alarmId}-${Date.now()}`;
      nurse.send({ type: 'alarm', id: frameId, alarmId, drill: true });
      const answer = await nurse.next((f) => f['id'] === frameId);
      return answer.type === 'ack' ? answer : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500, message: `alarm ${alarmId} stored` },
  );
  const storedAt = Date.now();
  await desk.next((f) => f.type === 'alarm' && f['event'] === 'raised' && (f['alarm'] as { alarmId: string }).alarmId === alarmId, 30_000);
  const seenAt = Date.now();
  await new Promise((r) => setTimeout(r, 500));
  expect(raisedOn(desk, alarmId)).toBe(1);
  return { storedAt, seenAt };
}

async function allReady(): Promise<boolean> {
  const states = await Promise.all(services.map(async (s) => (await fetch(`${s.baseUrl}/readyz`)).status));
  return states.every((s) => s === 200);
}

describe('clustered topology: 3-node NATS (R3 streams), Redis Cluster, 2 dispatch + 1 gateway + 1 alarms', () => {
  let firstOrder: string;
  let firstTimeline: { action: string; at: string }[];
  let nearSocket: NurseSocket;
  let farSocket: NurseSocket;

  it('runs a push order end to end: created on one dispatch, offered over the gateway, accepted, seen by the other', async () => {
    expect(await allReady()).toBe(true);
    // Their ids fall into different position shards, hence different Redis Cluster slots.
    expect(positionShardOf('n-near')).not.toBe(positionShardOf('n-far'));
    [nearSocket, farSocket] = (await nursesOnline([
      { id: 'n-near', at: offset(CENTRE, 400) },
      { id: 'n-far', at: FAR_AWAY },
    ])) as [NurseSocket, NurseSocket];
    const { id, offeredTo } = await createOffered(dispatchA, CENTRE);
    expect(offeredTo).toBe('n-near');
    await acceptOnSocket(nearSocket, id, dispatchB);
    firstOrder = id;
    firstTimeline = await timeline(dispatchB, id);
    expect(firstTimeline.map((e) => e.action)).toEqual(expect.arrayContaining(['created', 'offered', 'offer.sent', 'accepted', 'patient.disclosed']));
    // From the nurse who is not on a visit: no patient address joins the order's trail.
    await raiseAndSee(farSocket, 'cluster-alarm-before-kill');
  }, 90_000);

  it('keeps dispatching after the NATS node leading the audit stream is killed, with the audit trail intact', async () => {
    const info = await jsm.streams.info(auditStream);
    expect(info.config.num_replicas).toBe(3);
    const leader = info.cluster?.leader;
    const victim = nats.serverNames.indexOf(leader ?? '');
    expect(victim, `leader ${leader} among ${nats.serverNames.join(', ')}`).toBeGreaterThanOrEqual(0);
    await nats.servers[victim]!.kill9();
    killed = victim;

    // Two of three nodes are a quorum: a new leader is elected and every client reconnects.
    await waitFor(
      async () => {
        const now = await jsm.streams.info(auditStream);
        return now.cluster?.leader && now.cluster.leader !== leader ? now : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500, message: 'a new audit stream leader' },
    );
    await waitFor(allReady, { timeoutMs: 30_000, intervalMs: 500, message: 'every instance ready again' });
    for (const s of services) expect(s.deps.bus.nc.info?.server_name, s.name).not.toBe(leader);

    // A new order flows through the surviving nodes: created on the other dispatch instance this time.
    const { id, offeredTo } = await createOffered(dispatchB, FAR_AWAY);
    expect(offeredTo).toBe('n-far');
    await acceptOnSocket(farSocket, id, dispatchA);
    expect((await timeline(dispatchA, id)).map((e) => e.action)).toEqual(expect.arrayContaining(['created', 'offered', 'offer.sent', 'accepted', 'patient.disclosed']));

    // Nothing written before the kill was lost or reordered.
    expect(await timeline(dispatchA, firstOrder)).toEqual(firstTimeline);

    // Alarms flow through the surviving nodes too, and the first one is not repeated.
    await raiseAndSee(farSocket, 'cluster-alarm-after-kill');
    expect(raisedOn(desk, 'cluster-alarm-before-kill')).toBe(1);
  }, 150_000);

  it('delivers a panic within seconds after the node leading the alarm consumer is killed', async () => {
    // One loss at a time: the node killed above comes back and catches up first.
    await nats.servers[killed]!.restart();
    const caughtUp = (info: { cluster?: { leader?: string; replicas?: { current: boolean; offline?: boolean }[] } }) =>
      info.cluster?.leader !== undefined && info.cluster.replicas?.length === 2 && info.cluster.replicas.every((r) => r.current && !r.offline);
    await waitFor(async () => caughtUp(await jsm.streams.info(alarmsStream)) && caughtUp(await jsm.consumers.info(alarmsStream, alarmsConsumer)), {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'alarm stream and consumer on three current nodes',
    });

    // The consumer's leader holds the alarms instance's pending pull; with it gone, the
    // instance must pull again from the new leader quickly, not when its pull would have expired.
    const leader = (await jsm.consumers.info(alarmsStream, alarmsConsumer)).cluster!.leader!;
    await nats.servers[nats.serverNames.indexOf(leader)]!.kill9();
    const { storedAt, seenAt } = await raiseAndSee(farSocket, 'cluster-alarm-after-consumer-leader-kill');
    // The election of a new consumer leader (4-9 s in nats-server), whose advisory makes the
    // instance pull again at once; left to the client's heartbeats it was 25-30 s.
    expect(seenAt - storedAt, 'stored -> on the security desk, after the consumer leader died').toBeLessThan(15_000);
  }, 150_000);
});
