import { type SubgraphProcessSettings, parseConfig, readSubgraphProcessSettings, z } from '@cloudphone/config';

export type DevicesConfig = SubgraphProcessSettings;

/** The devices subgraph's reader of the environment; fails at boot on a bad value. */
export function loadDevicesConfig(env: Record<string, string | undefined> = process.env): DevicesConfig {
  return readSubgraphProcessSettings('devices', 4002, { users: 'http://127.0.0.1:4001/graphql', scheduler: 'http://127.0.0.1:4006/graphql' }, env);
}

const driverSchema = z.object({
  DEVICE_PROVISION_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  DEVICE_PROVISION_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  DEVICE_HEALTH_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Share of teardowns of deleted devices' phones the simulated provider refuses (retried by event, then by the health sweep). */
  DEVICE_TEARDOWN_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** How often running devices are probed and silent nodes marked OFFLINE. */
  DEVICE_HEALTH_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** A device CREATING this long lost its provisioning (the process died): the health sweep resumes it. */
  DEVICE_PROVISION_TIMEOUT_MS: z.coerce.number().int().min(10_000).max(86_400_000).default(300_000),
});

/**
 * The simulated provider's settings; read when the module is built, also in
 * hosts (the embedded stack) that configure database and port themselves.
 */
export function loadDriverConfig(env: Record<string, string | undefined> = process.env): {
  provisionDelayMs: number;
  failureRate: number;
  healthFailureRate: number;
  teardownFailureRate: number;
  healthIntervalMs: number;
  provisionTimeoutMs: number;
} {
  const parsed = parseConfig('devices subgraph', driverSchema, env);
  return {
    provisionDelayMs: parsed.DEVICE_PROVISION_DELAY_MS,
    failureRate: parsed.DEVICE_PROVISION_FAILURE_RATE,
    healthFailureRate: parsed.DEVICE_HEALTH_FAILURE_RATE,
    teardownFailureRate: parsed.DEVICE_TEARDOWN_FAILURE_RATE,
    healthIntervalMs: parsed.DEVICE_HEALTH_INTERVAL_MS,
    provisionTimeoutMs: parsed.DEVICE_PROVISION_TIMEOUT_MS,
  };
}
