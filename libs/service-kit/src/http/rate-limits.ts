import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '@nursing/contracts';

export interface RateLimitOptions {
  /** Counters live in Redis so every instance of a service shares one budget per caller. */
  redis: Redis;
  /** Key prefix, e.g. `hn:ratelimit:`. */
  nameSpace: string;
}

/** A route's budget: `max` requests per `windowMs` for one caller (the token's subject). */
export interface RouteRateLimit {
  max: number;
  windowMs: number;
}

/**
 * Opt-in per route (`config: { rateLimit: perCaller({...}) }`), counted per token
 * subject once authentication ran, else per client address. Answers 429 RATE_LIMITED
 * in the service's one error shape, with Retry-After.
 */
export async function installRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler', // after app.auth, so the caller is known
    redis: options.redis,
    nameSpace: options.nameSpace,
    skipOnError: true, // Redis down must not lock every caller out; it is the lesser harm
    keyGenerator: (request: FastifyRequest) => (request.claims ? `sub:${request.claims.sub}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(`too many requests: at most ${context.max} per ${context.after}; retry later`, {
        details: { limit: context.max, retryAfterMs: context.ttl },
      }),
  });
}

/** The route config for a per-caller budget. */
export function perCaller(limit: RouteRateLimit): { max: number; timeWindow: number } {
  return { max: limit.max, timeWindow: limit.windowMs };
}
