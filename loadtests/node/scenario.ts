import type { LatencySummary } from './latency.ts';

export interface ScenarioSettings {
  baseUrl: string;
  /** Bounded: every scenario stops by itself after this long. */
  durationS: number;
  nurses: number;
  /** Operations per second the scenario aims at (orders, alarms). */
  rate: number;
  /** Signing secret; by default JWT_SECRET or the development secret. */
  secret?: string;
}

export interface ScenarioResult {
  summaries: LatencySummary[];
  /** Facts checked along the way (e.g. one winner per grab order). */
  notes: string[];
  errors: number;
}

export type Scenario = (settings: ScenarioSettings) => Promise<ScenarioResult>;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
