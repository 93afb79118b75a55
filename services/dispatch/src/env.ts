import Type from 'typebox';
import { CommonEnv } from '@nursing/config';

/** Dispatch settings; every one has a default that suits a city platform. */
export const DispatchEnv = {
  OFFER_TTL_MS: Type.Integer({ minimum: 1_000, default: 30_000, description: 'how long a push offer waits for an answer' }),
  GRAB_WINDOW_MS: Type.Integer({ minimum: 1_000, default: 60_000, description: 'how long a grab broadcast stays open' }),
  GRAB_FALLBACK_TO_PUSH: Type.Boolean({ default: true, description: 'an unclaimed grab order falls back to push offers' }),
  POSITION_MAX_AGE_MS: Type.Integer({ minimum: 1_000, default: 120_000, description: 'older positions make a nurse ineligible' }),
  MATCH_RADIUS_M: Type.Integer({ minimum: 100, maximum: 50_000, default: 10_000 }),
  TIMER_POLL_MS: Type.Integer({ minimum: 10, default: 200, description: 'how often due timers are claimed' }),
  ORDER_CREATE_LIMIT_PER_MIN: Type.Integer({ minimum: 1, default: 120, description: 'orders one coordinator may create per minute (429 beyond)' }),
};

export const DispatchEnvSchema = Type.Object({ ...CommonEnv, ...DispatchEnv });
export type DispatchConfig = Type.Static<typeof DispatchEnvSchema>;
