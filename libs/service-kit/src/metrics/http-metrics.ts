import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics } from './service-metrics.ts';

export const METRICS_PATH = '/metrics';

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's metrics; modules add their own through it (see metric-catalog.ts). */
    metrics: ServiceMetrics;
  }
}

/**
 * Serves the registry at `GET /metrics` (Prometheus text format) and times every
 * request into `hn_http_request_duration_seconds`. Routes are labelled by their pattern
 * (`/v1/orders/:id`), never by the raw URL, and unknown paths share one label, so a
 * scanner cannot create unbounded series. Not behind auth: the entry point does not
 * route /metrics, Prometheus scrapes each instance directly.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.decorate('metrics', metrics);
  const duration = metrics.histogram('httpRequestDuration');

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === METRICS_PATH) return;
    duration.observe(
      { method: request.method, route: route ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get(METRICS_PATH, { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
