import { type SubgraphProcessSettings, parseConfig, readSubgraphProcessSettings, z } from '@cloudphone/config';
import type { PlacementStrategyName } from './placement/strategies.js';

export type SchedulerConfig = SubgraphProcessSettings;

/** The scheduler subgraph's reader of the environment; fails at boot on a bad value. */
export function loadSchedulerConfig(env: Record<string, string | undefined> = process.env): SchedulerConfig {
  return readSubgraphProcessSettings('scheduler', 4006, { devices: 'http://127.0.0.1:4002/graphql' }, env);
}

export interface SchedulerSettings {
  /** SCHEDULER_DEFAULT_STRATEGY: used when a placement names none. */
  defaultStrategy: PlacementStrategyName;
  /** SCHEDULER_RESERVATION_TTL_MS: how long a reservation waits for its device before the sweep asks the devices subgraph. */
  reservationTtlMs: number;
  /** SCHEDULER_SWEEP_INTERVAL_MS: how often unconfirmed reservations are swept. */
  sweepIntervalMs: number;
}

/** DI token of the scheduler's placement settings. */
export const SCHEDULER_SETTINGS = Symbol('SCHEDULER_SETTINGS');

const settingsSchema = z.object({
  SCHEDULER_DEFAULT_STRATEGY: z.enum(['LEAST_LOADED', 'BINPACK', 'SPREAD', 'ROUND_ROBIN', 'WEIGHTED']).default('WEIGHTED'),
  SCHEDULER_RESERVATION_TTL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  SCHEDULER_SWEEP_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
});

/** Read when the module is built, also in hosts (the embedded stack) that configure database and port themselves. */
export function loadSchedulerSettings(env: Record<string, string | undefined> = process.env): SchedulerSettings {
  const parsed = parseConfig('scheduler subgraph', settingsSchema, env);
  return {
    defaultStrategy: parsed.SCHEDULER_DEFAULT_STRATEGY,
    reservationTtlMs: parsed.SCHEDULER_RESERVATION_TTL_MS,
    sweepIntervalMs: parsed.SCHEDULER_SWEEP_INTERVAL_MS,
  };
}
