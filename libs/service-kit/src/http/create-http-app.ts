import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { Logger } from '@nursing/logging';
import { validatorCompiler } from './validator-compiler.ts';
import { installErrorHandling } from './error-handler.ts';
import { installAuth, type AuthDeps } from './authenticate.ts';
import { healthRoutes, type ReadinessCheck } from './health-routes.ts';
import type { ServiceModule } from '../service-module.ts';

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
  });
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  installAuth(app, options.auth);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: options.title, version: '0.1.0', description: options.modules.map((m) => m.description).filter(Boolean).join('\n\n') },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: API_DOCS_PATH });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });

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
