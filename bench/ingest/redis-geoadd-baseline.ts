import { Redis } from 'ioredis';
import type { BBox } from '@nursing/geo';
import { createRateMeter, type RateMeter } from '../lib/rate-meter.ts';

const BATCH = 1_000;

/**
 * The ingest baseline: the same number of position updates written by Node straight
 * into Redis, one GEOADD per update (the cheapest way to keep "latest position per
 * nurse" in Redis), in explicit pipelines of 1,000. No WebSockets, no validation, no
 * trail, no NATS: the ceiling of the storage step alone.
 */
export async function pipelinedGeoadd(input: {
  redisUrl: string;
  key: string;
  updates: number;
  nurses: number;
  box: BBox;
  random: () => number;
}): Promise<{ perSecond: number; wallMs: number; meter: RateMeter }> {
  const { box, random } = input;
  const redis = new Redis(input.redisUrl, { enableAutoPipelining: false, maxRetriesPerRequest: 1 });
  const meter = createRateMeter();
  try {
    const t0 = performance.now();
    for (let done = 0; done < input.updates; done += BATCH) {
      const pipeline = redis.pipeline();
      const count = Math.min(BATCH, input.updates - done);
      for (let j = 0; j < count; j++) {
        const lng = box.west + random() * (box.east - box.west);
        const lat = box.south + random() * (box.north - box.south);
        pipeline.geoadd(input.key, lng, lat, `n${(done + j) % input.nurses}`);
      }
      await pipeline.exec();
      meter.add(count);
    }
    const wallMs = performance.now() - t0;
    return { perSecond: input.updates / (wallMs / 1000), wallMs, meter };
  } finally {
    await redis.del(input.key).catch(() => undefined);
    redis.disconnect();
  }
}
