import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@nursing/logging';
import { createTokenVerifier } from '@nursing/auth';
import { startNatsServer, waitFor, type LocalServer } from '@nursing/testing';
import { connectNats, connectRedis, createHttpApp, createServiceMetrics, METRIC_CATALOG, type ServiceMetrics } from '../src/index.ts';

const log = createLogger({ name: 'test', level: 'silent' });

function buildApp(metrics?: ServiceMetrics): Promise<FastifyInstance> {
  return createHttpApp({
    log,
    title: 'test',
    readiness: {},
    auth: { verifyToken: createTokenVerifier('s'.repeat(40)), isDisabled: async () => false },
    modules: [{ name: 'demo', routes: async (a) => void a.get('/v1/orders/:id', async (req) => ({ id: (req.params as { id: string }).id })) }],
    ...(metrics ? { metrics } : {}),
  });
}

/**
 * Every sample line of the exposition text, checked against the Prometheus text format.
 * Values are Go floats: prom-client writes NaN as `Nan`, which Prometheus reads (case-insensitive).
 */
function parseExposition(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const helped = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line);
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (help?.[1]) helped.add(help[1]);
    else if (type?.[1] && type[2]) types.set(type[1], type[2]);
    else {
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|[+-]?(?:nan|inf))$/i.exec(line);
      if (!sample?.[1] || sample[2] === undefined) throw new Error(`not Prometheus text: ${line}`);
      samples.set(sample[1], Number(sample[2]));
    }
  }
  for (const name of types.keys()) if (!helped.has(name)) throw new Error(`no HELP for ${name}`);
  return { samples, types };
}

describe('GET /metrics', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  beforeAll(async () => {
    a = await buildApp();
    b = await buildApp();
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it('serves Prometheus text with process metrics and the request histogram, per app instance', async () => {
    for (let i = 0; i < 3; i++) expect((await a.inject({ url: `/v1/orders/o-${i}` })).statusCode).toBe(200);
    const res = await a.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(res.body);
    expect(types.get('hn_http_request_duration_seconds')).toBe('histogram');
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    const series = 'method="GET",route="/v1/orders/:id",status_code="200"';
    expect(samples.get(`hn_http_request_duration_seconds_count{${series}}`)).toBe(3);
    expect(samples.get(`hn_http_request_duration_seconds_bucket{le="+Inf",${series}}`)).toBe(3);
    // Labelled by route pattern: the ids never become series.
    expect(res.body).not.toContain('o-1');

    // The other app in the same process has its own registry and saw none of it.
    const other = parseExposition((await b.inject({ url: '/metrics' })).body);
    expect(other.samples.get(`hn_http_request_duration_seconds_count{${series}}`)).toBeUndefined();
    expect(other.types.get('process_cpu_user_seconds_total')).toBe('counter');
  });

  it('labels unknown paths as one series and does not time itself', async () => {
    await a.inject({ url: '/wp-admin/setup.php' });
    await a.inject({ url: '/metrics' });
    const { samples } = parseExposition((await a.inject({ url: '/metrics' })).body);
    expect(samples.get('hn_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect([...samples.keys()].some((k) => k.includes('route="/metrics"'))).toBe(false);
    expect([...samples.keys()].some((k) => k.includes('wp-admin'))).toBe(false);
  });

  it('shows what a module counts through app.metrics, with the catalogue name and labels', async () => {
    const sockets = a.metrics.gauge('socketsConnected');
    sockets.inc({ kind: 'nurse' });
    sockets.inc({ kind: 'nurse' });
    sockets.dec({ kind: 'nurse' });
    a.metrics.counter('offers').inc({ outcome: 'sent' }, 2);
    a.metrics.histogram('alarmDeliveryLatency').observe(0.2);
    // Asking again gives the same metric, not a second registration.
    expect(a.metrics.gauge('socketsConnected')).toBe(sockets);
    const { samples } = parseExposition((await a.inject({ url: '/metrics' })).body);
    expect(samples.get(`${METRIC_CATALOG.socketsConnected.name}{kind="nurse"}`)).toBe(1);
    expect(samples.get('hn_offers_total{outcome="sent"}')).toBe(2);
    expect(samples.get('hn_alarm_delivery_seconds_bucket{le="0.25"}')).toBe(1);
    expect(samples.get('hn_alarm_delivery_seconds_bucket{le="0.1"}')).toBe(0);
  });

  it('serves a registry it is given (one per process, shared by its connections and modules)', async () => {
    const metrics = createServiceMetrics({ processMetrics: false, defaultLabels: { service: 'dispatch' } });
    metrics.counter('ordersCreated').inc({ mode: 'grab' });
    const app = await buildApp(metrics);
    try {
      const { samples, types } = parseExposition((await app.inject({ url: '/metrics' })).body);
      expect(samples.get('hn_orders_created_total{mode="grab",service="dispatch"}')).toBe(1);
      expect(types.has('process_cpu_user_seconds_total')).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('connection events', () => {
  it('counts Redis connection errors and reconnect attempts', async () => {
    const metrics = createServiceMetrics({ processMetrics: false });
    const redis = connectRedis('redis://nowhere.invalid:6379', log, metrics);
    try {
      const value = async (event: string) =>
        (await metrics.counter('redisConnectionEvents').get()).values.find((v) => v.labels.event === event)?.value ?? 0;
      await waitFor(async () => (await value('error')) >= 2 && (await value('reconnecting')) >= 1, { timeoutMs: 15_000, message: 'redis errors counted' });
    } finally {
      redis.disconnect();
    }
  });

  describe('NATS', () => {
    let server: LocalServer;
    beforeAll(async () => {
      server = await startNatsServer();
    });
    afterAll(() => server.stop());

    it('counts a disconnect and the reconnect when the server comes back', async () => {
      const metrics = createServiceMetrics({ processMetrics: false });
      const bus = await connectNats(server.url, log, 'metrics-test', metrics);
      try {
        const value = async (event: string) =>
          (await metrics.counter('natsConnectionEvents').get()).values.find((v) => v.labels.event === event)?.value ?? 0;
        await server.kill9();
        await waitFor(async () => (await value('disconnect')) >= 1, { timeoutMs: 15_000, message: 'nats disconnect counted' });
        await server.restart();
        await waitFor(async () => (await value('reconnect')) >= 1, { timeoutMs: 20_000, message: 'nats reconnect counted' });
        const text = await metrics.registry.metrics();
        expect(text).toContain('hn_nats_connection_events_total{event="reconnect"} 1');
      } finally {
        await bus.nc.close();
      }
    });
  });
});
