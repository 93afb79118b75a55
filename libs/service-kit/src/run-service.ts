import closeWithGrace from 'close-with-grace';
import type { Static, TObject } from 'typebox';
import { ConfigError, loadConfig, type CommonConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createServiceDeps, type ServiceDeps } from './service-deps.ts';
import { createServiceApp } from './create-service-app.ts';
import type { ServiceModule } from './service-module.ts';

export interface RunServiceOptions<S extends TObject> {
  name: string;
  title: string;
  envSchema: S;
  modules: (deps: ServiceDeps<Static<S> & CommonConfig>) => ServiceModule[] | Promise<ServiceModule[]>;
  env?: Record<string, string | undefined>;
  /** Called once listening, e.g. to print the base URL. */
  onListening?: (baseUrl: string) => void;
  /** Runs after the app and connections are closed, e.g. to stop servers the dev launcher started. */
  afterClose?: () => Promise<void>;
}

/**
 * What every server.ts does: read the environment, build the logger, connect,
 * listen, and on SIGINT/SIGTERM stop modules, drain NATS and quit Redis.
 * Returns a function that performs the same shutdown (tests, the dev launcher).
 */
export async function runService<S extends TObject>(options: RunServiceOptions<S>): Promise<{ baseUrl: string; close(): Promise<void> }> {
  let config: Static<S> & CommonConfig;
  try {
    config = loadConfig(options.envSchema, options.env) as Static<S> & CommonConfig;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.name}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger({ name: options.name, level: config.LOG_LEVEL });
  const deps = await createServiceDeps(config, log, options.name);
  const app = await createServiceApp(deps, options.title, await options.modules(deps));
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const baseUrl = `http://${host}:${port}`;
  log.info({ baseUrl }, `${options.name} listening`);
  options.onListening?.(baseUrl);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await deps.close();
      await options.afterClose?.();
    })());
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error');
    else log.info({ signal }, 'shutting down');
    await close();
  });
  return { baseUrl, close };
}
