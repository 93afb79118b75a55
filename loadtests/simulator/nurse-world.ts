import type { CatalogItem } from '@nursing/contracts';
import type { SimOptions } from './options.ts';
import type { SimStats } from './sim-stats.ts';

/** What every simulated nurse shares: settings, counters, the catalogue, whether the run is stopping. */
export interface NurseWorld {
  options: SimOptions;
  stats: SimStats;
  items: ReadonlyMap<string, CatalogItem>;
  /** The gateway accepts `alarm` frames (added to the protocol later; older gateways do not). */
  alarmFrames: boolean;
  /** The gateway refused an alarm frame as unknown: stop raising drills and say so once. */
  disableAlarms(why: string): void;
  stopping(): boolean;
  now(): number;
}

/** Waits `ms`, or less if the run stops meanwhile. */
export function pause(world: NurseWorld, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const started = world.now();
    const timer = setInterval(() => {
      if (world.stopping() || world.now() - started >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, Math.min(250, Math.max(10, ms)));
  });
}

/** Waits until `done()` holds or the run stops, checking every `everyMs`. */
export function until(world: NurseWorld, done: () => boolean, everyMs = 250): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (world.stopping() || done()) {
        clearInterval(timer);
        resolve();
      }
    }, everyMs);
  });
}

/** `simulatedSeconds` of the simulation, in real milliseconds. */
export function scaled(world: NurseWorld, simulatedSeconds: number): number {
  return (simulatedSeconds * 1000) / world.options.timeScale;
}

/**
 * How likely a nurse is to take a job this far away, relative to her base
 * probability: nearby jobs are taken eagerly, far ones seldom (as on real platforms).
 */
export function appetite(distanceMeters: number): number {
  if (distanceMeters < 2_000) return 1;
  if (distanceMeters < 5_000) return 0.5;
  return 0.15;
}

/** Error codes that are races a real app meets too, not failures of the system. */
export const RACE_CODES: Record<string, readonly string[]> = {
  'offer.accept': ['OFFER_NOT_ACTIVE', 'ILLEGAL_TRANSITION'],
  'offer.decline': ['OFFER_NOT_ACTIVE', 'ILLEGAL_TRANSITION'],
  grab: ['ORDER_TAKEN', 'OFFER_NOT_ACTIVE', 'ILLEGAL_TRANSITION', 'FORBIDDEN'],
  // The gateway records `arrived` by itself when she comes within ARRIVAL_RADIUS_M.
  'progress.arrived': ['ILLEGAL_TRANSITION'],
};

/** Counts a refused request as a race or an error; true if it was a race. */
export function countRefusal(world: NurseWorld, what: string, err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  const c = typeof code === 'string' ? code : 'UNKNOWN';
  if (RACE_CODES[what]?.includes(c)) {
    world.stats.counters.races++;
    return true;
  }
  world.stats.error(`${what}: ${c}`, (err as Error).message);
  return false;
}
