import type { Redis } from 'ioredis';
import type { Nurse, RedisKeys } from '@nursing/contracts';
import { qualifiedNurse } from '../../services/dispatch/test/fixtures.ts';

/**
 * Nurse profiles written straight into Redis in the registry's format (what
 * POST /v1/nurses stores), for benchmarks of services that only read them: the
 * gateway looks up a nurse's institution to decide what a map may show.
 */
export async function seedNurseProfiles(redis: Redis, keys: RedisKeys, nurses: readonly { id: string; institutionId: string }[]): Promise<void> {
  const updatedAt = new Date().toISOString();
  for (let i = 0; i < nurses.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const { id, institutionId } of nurses.slice(i, i + 1000)) {
      const nurse: Nurse = { ...qualifiedNurse(id, institutionId), ratingSum: 0, ratingCount: 0, updatedAt };
      pipeline.set(keys.nurse(id), JSON.stringify(nurse));
      pipeline.sadd(keys.nurseIds, id);
      pipeline.sadd(keys.institutionNurses(institutionId), id);
    }
    await pipeline.exec();
  }
}
