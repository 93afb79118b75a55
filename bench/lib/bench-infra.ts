import { randomBytes, randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createTokenSigner } from '@nursing/auth';
import { natsSubjects, redisKeys, type NatsSubjects, type RedisKeys, type TokenClaims } from '@nursing/contracts';
import { deleteJetStreamNamespace, deleteRedisNamespace } from '@nursing/testing';
import { deferCleanup } from './cleanup.ts';

/**
 * A benchmark's private corner of the shared Redis and NATS: a fresh namespace
 * (`bench_xxxxxxxx`), connections for the benchmark's own use, a signing secret for
 * its tokens, and the environment to hand a service child. `close()` (also run on
 * Ctrl-C) deletes every key and stream of the namespace.
 */
export interface BenchInfra {
  ns: string;
  redisUrl: string;
  natsUrl: string;
  redis: Redis;
  nc: NatsConnection;
  keys: RedisKeys;
  subjects: NatsSubjects;
  jwtSecret: string;
  sign(claims: TokenClaims): string;
  /** Environment for a service child on this namespace. */
  serviceEnv(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export async function openBenchInfra(): Promise<BenchInfra> {
  const env = process.env;
  const redisUrl = env['BENCH_REDIS_URL'] || env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const natsUrl = env['BENCH_NATS_URL'] || env['NATS_URL'] || 'nats://127.0.0.1:4222';
  let suffix = '';
  for (let i = 0; i < 8; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  const ns = `bench_${suffix}`;
  const jwtSecret = randomBytes(32).toString('hex');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const nc = await connect({ servers: natsUrl, name: `bench-${ns}` });

  const cleanup = async (): Promise<void> => {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const admin = await connect({ servers: natsUrl });
    try {
      await deleteRedisNamespace(client, ns);
      await deleteJetStreamNamespace(await jetstreamManager(admin), ns);
    } finally {
      client.disconnect();
      await admin.close();
    }
  };
  const forget = deferCleanup(cleanup);
  const signer = createTokenSigner(jwtSecret);

  return {
    ns,
    redisUrl,
    natsUrl,
    redis,
    nc,
    keys: redisKeys(ns),
    subjects: natsSubjects(ns),
    jwtSecret,
    sign: signer,
    serviceEnv: (extra = {}) => ({
      NAMESPACE: ns,
      REDIS_URL: redisUrl,
      NATS_URL: natsUrl,
      JWT_SECRET: jwtSecret,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '5000',
      ...extra,
    }),
    async close() {
      forget();
      await nc.close().catch(() => undefined);
      redis.disconnect();
      await cleanup();
    },
  };
}
