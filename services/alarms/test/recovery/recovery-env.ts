import { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from '@nursing/contracts';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { TEST_JWT_SECRET, tokenSigner, type Tokens } from '../harness.ts';
import type { ProcessInfra, ServiceProcess } from '@nursing/testing';
import { seedNurse } from '../fixtures.ts';

/** A namespace for processes to share, plus what the test needs to look inside it. */
export interface RecoveryEnv {
  infra: ProcessInfra;
  redis: Redis;
  keys: RedisKeys;
  tokens: Tokens;
  /** Processes started through `track` are killed at close(), whatever state the test left them in. */
  track<P extends ServiceProcess>(p: P): P;
  close(): Promise<void>;
}

export async function startRecoveryEnv(natsUrl?: string): Promise<RecoveryEnv> {
  const shared: SharedInfra = await useSharedInfra();
  const infra: ProcessInfra = { ns: shared.ns, redisUrl: shared.redisUrl, natsUrl: natsUrl ?? shared.natsUrl, jwtSecret: TEST_JWT_SECRET };
  const redis = new Redis(shared.redisUrl);
  const keys = redisKeys(shared.ns);
  await seedNurse(redis, keys, 'n1');
  const processes: ServiceProcess[] = [];
  return {
    infra,
    redis,
    keys,
    tokens: tokenSigner(),
    track(p) {
      processes.push(p);
      return p;
    },
    async close() {
      await Promise.all(processes.map((p) => p.kill9()));
      redis.disconnect();
      await shared.cleanup();
    },
  };
}
