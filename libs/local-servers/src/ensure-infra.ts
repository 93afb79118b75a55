import { join, resolve } from 'node:path';
import { findBinary } from './find-binary.ts';
import { isReachable } from './is-reachable.ts';
import type { LocalServer } from './managed-server.ts';
import { INSTALL_HINT } from './missing-binary.ts';
import { startNatsServer } from './nats-server.ts';
import { startRedisServer } from './redis-server.ts';
import { parseServiceUrl } from './service-url.ts';

/** The part of a logger (pino, console) that {@link ensureInfra} uses. */
export interface InfraLog {
  info(message: string): void;
}

/** Options of {@link ensureInfra}. */
export interface EnsureInfraOptions {
  redisUrl: string;
  natsUrl: string;
  /** Where servers started here keep their data (`redis/`, `nats/`), e.g. `.data`. */
  dataDir: string;
  log?: InfraLog;
  /** How long a reachability probe waits (default 1000 ms). */
  probeTimeoutMs?: number;
}

/** Redis and NATS as the dev launcher found or started them. */
export interface LocalInfra {
  redisUrl: string;
  natsUrl: string;
  /** Which of 'redis' and 'nats' were started here (and are stopped by stop()). */
  started: string[];
  /** Stops the servers started here; ones that were already running are left alone. */
  stop(): Promise<void>;
}

interface Service {
  key: 'redis' | 'nats';
  title: string;
  binary: string;
  envVar: string;
  scheme: string;
  defaultPort: number;
  start(port: number, dir: string): Promise<LocalServer>;
}

const SERVICES: Service[] = [
  {
    key: 'redis',
    title: 'Redis',
    binary: 'redis-server',
    envVar: 'REDIS_URL',
    scheme: 'redis',
    defaultPort: 6379,
    start: (port, dir) => startRedisServer({ port, dataDir: dir, appendOnly: true }),
  },
  {
    key: 'nats',
    title: 'NATS',
    binary: 'nats-server',
    envVar: 'NATS_URL',
    scheme: 'nats',
    defaultPort: 4222,
    start: (port, dir) => startNatsServer({ port, storeDir: dir, jetstream: true, serverName: 'local' }),
  },
];

const DOCKER_HINT = 'run `docker compose up -d redis nats`';

async function ensureService(
  service: Service,
  url: string,
  dataDir: string,
  log: InfraLog,
  probeTimeoutMs: number,
): Promise<LocalServer | undefined> {
  const { host, port, isLoopback } = parseServiceUrl(url, service.scheme, service.defaultPort);
  if (await isReachable(host, port, probeTimeoutMs)) {
    log.info(`${service.title}: using the server at ${url}`);
    return undefined;
  }
  if (!isLoopback) {
    throw new Error(
      `${service.title} is not reachable at ${url}, which is not a local address, so no ${service.binary} is started for it. ` +
        `Start ${service.title} there, or ${DOCKER_HINT} and point ${service.envVar} at 127.0.0.1, or set ${service.envVar} to a reachable server.`,
    );
  }
  if (findBinary(service.binary) === undefined) {
    throw new Error(
      `${service.title} is not reachable at ${url} and no ${service.binary} binary was found. ` +
        `${INSTALL_HINT}, or ${DOCKER_HINT}, or set ${service.envVar}.`,
    );
  }
  const dir = join(dataDir, service.key);
  const server = await service.start(port, dir);
  log.info(`${service.title}: started ${service.binary} (pid ${server.pid}) on ${server.url}, data and log in ${dir}`);
  return server;
}

/**
 * For the dev launcher: uses Redis and NATS where their URLs point, and when nothing
 * answers at a loopback URL starts the local binary on that port (Redis with AOF,
 * NATS with JetStream file storage, data under dataDir). Throws an Error saying how to
 * get the servers otherwise.
 */
export async function ensureInfra(options: EnsureInfraOptions): Promise<LocalInfra> {
  const log = options.log ?? { info: () => undefined };
  const dataDir = resolve(options.dataDir);
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  const urls = { redis: options.redisUrl, nats: options.natsUrl };

  const results = await Promise.allSettled(
    SERVICES.map((service) => ensureService(service, urls[service.key], dataDir, log, probeTimeoutMs)),
  );
  const started = new Map<string, LocalServer>();
  results.forEach((result, i) => {
    const key = SERVICES[i]?.key;
    if (result.status === 'fulfilled' && result.value && key) started.set(key, result.value);
  });
  const stop = async (): Promise<void> => {
    await Promise.all([...started.values()].map((server) => server.stop()));
  };

  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (errors.length > 0) {
    await stop();
    if (errors.length === 1) throw errors[0];
    throw new Error(errors.map((error) => (error instanceof Error ? error.message : String(error))).join('\n'));
  }
  return { redisUrl: options.redisUrl, natsUrl: options.natsUrl, started: [...started.keys()], stop };
}
