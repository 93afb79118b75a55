import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LatLng } from '@nursing/geo';
import { deferCleanup } from '../lib/cleanup.ts';
import { elapsedMs } from '../lib/stats.ts';
import { LIMIT, RADIUS_M } from './fixtures.ts';

/** Members per GEOADD, and GEOADDs per pipeline round trip. */
const MEMBERS_PER_GEOADD = 1_000;
const GEOADDS_PER_PIPELINE = 20;
/** Safety net if the process is killed before it can delete the key. */
const KEY_TTL_S = 3_600;

export interface RedisGeoBaseline {
  key: string;
  load(ids: readonly string[], positions: readonly LatLng[], onProgress: (loaded: number) => void): Promise<void>;
  /** Runs the queries one after another, awaiting each; returns per-query ms and wall ms. */
  query(centers: readonly LatLng[]): Promise<{ latenciesMs: number[]; wallMs: number; hitCounts: number[] }>;
  close(): Promise<void>;
}

/**
 * A throwaway GEO key on the shared Redis (namespace `bench_<random>:`), holding the
 * same points as our index. close() deletes it; so does Ctrl-C, via deferCleanup.
 */
export async function openRedisBaseline(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<RedisGeoBaseline> {
  // Fail fast rather than queue commands forever when Redis is down.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false });
  await redis.connect();
  const key = `bench_${randomBytes(4).toString('hex')}:geo:nurses`;
  // UNLINK: freeing a 500k-member zset with DEL would stall the shared server.
  const drop = async () => void (await redis.unlink(key));
  const forget = deferCleanup(drop);

  return {
    key,
    async load(ids, positions, onProgress) {
      for (let start = 0; start < ids.length; start += MEMBERS_PER_GEOADD * GEOADDS_PER_PIPELINE) {
        const pipeline = redis.pipeline();
        const end = Math.min(ids.length, start + MEMBERS_PER_GEOADD * GEOADDS_PER_PIPELINE);
        for (let from = start; from < end; from += MEMBERS_PER_GEOADD) {
          const args: (string | number)[] = [];
          for (let i = from; i < Math.min(end, from + MEMBERS_PER_GEOADD); i++) {
            const p = positions[i]!;
            args.push(p.lng, p.lat, ids[i]!);
          }
          pipeline.geoadd(key, ...args);
        }
        if (start === 0) pipeline.expire(key, KEY_TTL_S);
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([err]) => err);
        if (failed) throw failed[0];
        onProgress(end);
      }
      const stored = await redis.zcard(key);
      if (stored !== ids.length) throw new Error(`GEOADD stored ${stored} of ${ids.length} points`);
    },
    async query(centers) {
      const latenciesMs: number[] = [];
      const hitCounts: number[] = [];
      const wallStart = process.hrtime.bigint();
      for (const c of centers) {
        const t = process.hrtime.bigint();
        const hits = await redis.geosearch(key, 'FROMLONLAT', c.lng, c.lat, 'BYRADIUS', RADIUS_M, 'm', 'ASC', 'COUNT', LIMIT);
        latenciesMs.push(elapsedMs(t));
        hitCounts.push(hits.length);
      }
      return { latenciesMs, wallMs: elapsedMs(wallStart), hitCounts };
    },
    async close() {
      try {
        await drop();
        forget();
      } finally {
        redis.disconnect();
      }
    },
  };
}
