import type { FastifyInstance } from 'fastify';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { loadConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createServiceApp, createServiceDeps } from '@nursing/service-kit';
import { natsSubjects, redisKeys, type AlarmEvent, type NatsSubjects, type RedisKeys } from '@nursing/contracts';
import { collectLogs, testTokens, useSharedInfra, type LogCollector, type SharedInfra, type TestTokens } from '@nursing/testing';
import { AlarmsEnvSchema } from '../src/env.ts';
import { createAlarmsModule, type AlarmsDeps, type AlarmsOptions } from '../src/module.ts';

export const TEST_JWT_SECRET = 'test-secret-for-alarms-integration-tests-0123456789';

export type Tokens = TestTokens;

export function tokenSigner(secret = TEST_JWT_SECRET): Tokens {
  return testTokens(secret);
}

export interface AlarmsTestApp {
  app: FastifyInstance;
  deps: AlarmsDeps & { close(): Promise<void> };
  infra: SharedInfra;
  ns: string;
  keys: RedisKeys;
  subjects: NatsSubjects;
  /** The test's own NATS connection, to watch events and play dispatch or a gateway. */
  nc: NatsConnection;
  js: JetStreamClient;
  tokens: Tokens;
  logs: LogCollector;
  close(): Promise<void>;
}

/**
 * The alarms app on the shared Redis and NATS in a fresh namespace, started (its
 * consumer and timers run), ready for `inject`. `close()` stops it and removes the namespace.
 */
export async function startAlarmsTestApp(overrides: Record<string, string> = {}, options: AlarmsOptions = {}): Promise<AlarmsTestApp> {
  const infra = await useSharedInfra();
  const t = await startAlarmsInstance(infra, overrides, options).catch(async (err: unknown) => {
    await infra.cleanup();
    throw err;
  });
  return {
    ...t,
    async close() {
      await t.close();
      await infra.cleanup();
    },
  };
}

/** Another alarms instance on an existing namespace (tests of instances side by side); close() leaves the namespace. */
export async function startAlarmsInstance(infra: SharedInfra, overrides: Record<string, string> = {}, options: AlarmsOptions = {}): Promise<AlarmsTestApp> {
  const config = loadConfig(AlarmsEnvSchema, {
    NAMESPACE: infra.ns,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ALARM_TIMER_POLL_MS: '50',
    ALARM_ACK_WAIT_MS: '2000',
    ...overrides,
  });
  const logs = collectLogs();
  const log = createLogger({ name: 'test-alarms', level: 'info' }, logs.stream);
  const deps = await createServiceDeps(config, log, 'test-alarms');
  let app: FastifyInstance;
  try {
    app = await createServiceApp(deps, 'test', [createAlarmsModule(deps, options)]);
    await app.ready();
  } catch (err) {
    await deps.close();
    throw err;
  }
  const nc = await connect({ servers: infra.natsUrl });
  return {
    app,
    deps,
    infra,
    ns: infra.ns,
    keys: redisKeys(infra.ns),
    subjects: natsSubjects(infra.ns),
    nc,
    js: jetstream(nc),
    tokens: tokenSigner(),
    logs,
    async close() {
      await nc.close();
      await app.close();
      await deps.close();
    },
  };
}

/** Request headers carrying a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** Records every message on a subject (parsed JSON) until stopped. */
export interface Recorder<T> {
  messages: T[];
  stop(): void;
}

export async function record<T = AlarmEvent>(nc: NatsConnection, subject: string): Promise<Recorder<T>> {
  const messages: T[] = [];
  const sub: Subscription = nc.subscribe(subject, {
    callback: (err, msg) => {
      if (!err) messages.push(msg.json<T>());
    },
  });
  await nc.flush();
  return { messages, stop: () => sub.unsubscribe() };
}

/** A fresh app-style alarm id. */
export function newAlarmId(): string {
  return `a-${crypto.randomUUID()}`;
}
