import { Redis } from 'ioredis';
import { redisKeys } from '@nursing/contracts';
import { startTestService, type TestService } from '@nursing/testing';
import { DispatchEnvSchema, type DispatchConfig } from '../../src/env.ts';
import { createDispatchModule } from '../../src/module.ts';
import type { DispatchTestApp } from '../harness.ts';
import { available, qualifiedNurse, seedCity } from '../city.ts';
import { CENTRE, offset } from '../fixtures.ts';
import { startPrivateInfra, type PrivateInfra } from './private-infra.ts';

export const INSTITUTION = 'i1';

/** Short timers so an order moves on in seconds; positions never go stale during a test. */
export const FAULT_ENV: Record<string, string> = {
  OFFER_TTL_MS: '2000',
  GRAB_WINDOW_MS: '2000',
  TIMER_POLL_MS: '100',
  POSITION_MAX_AGE_MS: '3600000',
  ORDER_CREATE_LIMIT_PER_MIN: '100000',
};

export type DispatchInstance = TestService<DispatchConfig>;

export interface FaultCity {
  infra: PrivateInfra;
  instances: DispatchInstance[];
  /** Base URLs of the instances still running. */
  urls(): string[];
  coordinatorToken: string;
  /** A plain client on the private Redis, for looking at timers. */
  redis: Redis;
  timersKey: string;
  /** Starts one more instance on the same servers and namespace. */
  addInstance(): Promise<DispatchInstance>;
  /** Shuts one instance down as SIGTERM would (runService's close: app, then connections). */
  stopInstance(s: DispatchInstance): Promise<void>;
  close(): Promise<void>;
}

function asTestApp(s: DispatchInstance): DispatchTestApp {
  return { app: s.app, deps: s.deps, ns: s.infra.ns, redisUrl: s.infra.redisUrl, natsUrl: s.infra.natsUrl, tokens: s.tokens, close: () => s.close() };
}

/**
 * Private Redis and NATS, `instanceCount` dispatch instances listening on loopback
 * ports, and `nurses` qualified, available nurses within 4 km of the centre.
 */
export async function startFaultCity(options: { instanceCount: number; nurses: number; env?: Record<string, string> }): Promise<FaultCity> {
  const infra = await startPrivateInfra();
  const instances: DispatchInstance[] = [];
  const env = { ...FAULT_ENV, ...options.env };
  const addInstance = async () => {
    const s = await startTestService({ envSchema: DispatchEnvSchema, env, modules: (deps) => [createDispatchModule(deps)], infra, listen: true });
    instances.push(s);
    return s;
  };
  const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  try {
    for (let i = 0; i < options.instanceCount; i++) await addInstance();
    const first = instances[0] as DispatchInstance;
    await seedCity(
      asTestApp(first),
      INSTITUTION,
      Array.from({ length: options.nurses }, (_, i) => available(qualifiedNurse(`n${i}`, INSTITUTION), offset(CENTRE, 150 + ((i * 613) % 4_000), (i * 71) % 360))),
    );
  } catch (err) {
    for (const s of instances) await s.close().catch(() => undefined);
    redis.disconnect();
    await infra.cleanup();
    throw err;
  }
  const closed = new WeakSet<DispatchInstance>();
  return {
    infra,
    instances,
    urls: () => instances.filter((s) => !closed.has(s) && s.url).map((s) => s.url as string),
    coordinatorToken: (instances[0] as DispatchInstance).tokens.coordinator(INSTITUTION),
    redis,
    timersKey: redisKeys(infra.ns).timers('dispatch'),
    addInstance,
    async stopInstance(s) {
      closed.add(s);
      await s.close();
    },
    async close() {
      for (const s of instances) if (!closed.has(s)) await s.close().catch(() => undefined);
      redis.disconnect();
      await infra.cleanup();
    },
  };
}
