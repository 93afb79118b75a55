import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { WebSocketServer } from 'ws';
import { ValidationError, WS_CLOSE } from '@nursing/contracts';
import type { Logger } from '@nursing/logging';
import { validatorCompiler } from './validator-compiler.ts';
import { installErrorHandling } from './error-handler.ts';
import { installAuth, type AuthDeps } from './authenticate.ts';
import { installRateLimits, type RateLimitOptions } from './rate-limits.ts';
import { healthRoutes, type ReadinessCheck } from './health-routes.ts';
import type { ServiceModule } from '../service-module.ts';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/service-metrics.ts';
import { installHttpMetrics } from '../metrics/http-metrics.ts';

export interface HttpAppOptions {
  log: Logger;
  title: string;
  auth: AuthDeps;
  readiness: Record<string, ReadinessCheck>;
  modules: ServiceModule[];
  /** Largest accepted request body; bigger ones get 413. */
  bodyLimitBytes?: number;
  /** Behind a proxy that sets X-Forwarded-*. */
  trustProxy?: boolean;
  /** The process's metrics, served at /metrics; a fresh registry when absent. */
  metrics?: ServiceMetrics;
  /** Where per-route rate limits count (routes opt in with `config.rateLimit`); none when absent. */
  rateLimit?: RateLimitOptions;
}

export const API_DOCS_PATH = '/docs';

/**
 * The HTTP shell shared by every service: validation from the contracts' schemas,
 * one error shape, bearer auth, health probes, OpenAPI at /docs and WebSocket
 * support. Builds from what it is given and has no side effects until listen().
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance type the plain default.
    loggerInstance: options.log as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: false } },
    // The router's own refusals (an over-long or malformed path parameter) come here,
    // not to the error handler: give them the same shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      // Typed against the route's reply schema, which this early reply has none of.
      void (reply as unknown as FastifyReply).status(400).send(new ValidationError(error.message).toBody());
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  installAuth(app, options.auth);
  installHttpMetrics(app, options.metrics ?? createServiceMetrics());
  if (options.rateLimit) await installRateLimits(app, options.rateLimit);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: options.title, version: '0.1.0', description: options.modules.map((m) => m.description).filter(Boolean).join('\n\n') },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: API_DOCS_PATH });
  // Our own preClose replaces the plugin's, which closes sockets without a code (1005)
  // before any module's stop() runs: 1001 tells apps to reconnect to another instance.
  await app.register(websocket, {
    options: { maxPayload: 16 * 1024 },
    preClose: async function (this: FastifyInstance) {
      await closeSocketsGoingAway(this.websocketServer);
    },
  });

  await app.register(healthRoutes(options.readiness));
  for (const module of options.modules) {
    if (module.routes) await app.register(module.routes);
  }

  app.addHook('onReady', async () => {
    for (const module of options.modules) await module.start?.();
  });
  app.addHook('preClose', async () => {
    for (const module of [...options.modules].reverse()) await module.stop?.();
  });
  return app;
}

/** How long shutdown waits for clients to answer the close handshake. */
const WS_CLOSE_WAIT_MS = 1_000;

/** Closes every client with 1001 and waits (briefly) for the handshakes to finish. */
async function closeSocketsGoingAway(server: WebSocketServer): Promise<void> {
  const closing = [...server.clients].map(
    (client) =>
      new Promise<void>((resolve) => {
        if (client.readyState === client.CLOSED) return resolve();
        client.once('close', () => resolve());
        client.close(WS_CLOSE.GOING_AWAY, 'server shutting down');
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closing), new Promise((resolve) => (timer = setTimeout(resolve, WS_CLOSE_WAIT_MS)))]);
  clearTimeout(timer);
  // Unanswered handshakes must not hold the process open.
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
