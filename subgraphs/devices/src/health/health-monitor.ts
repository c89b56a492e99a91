import type { DevicesRepository } from '../devices/devices.repository.js';
import type { ProviderDriver } from '../drivers/provider-driver.js';
import type { NodesRepository } from '../nodes/nodes.repository.js';
import { provisionDevice } from '../provisioning/provision-device.js';
import { TEARDOWN_LEASE_MS, tearDownDevice } from '../provisioning/teardown-device.js';

/** A node that has not called in for this long is OFFLINE. */
export const NODE_SILENCE_LIMIT_MS = 3 * 60_000;

export interface SweepReport {
  probed: number;
  failed: string[];
  recovered: string[];
  nodesOffline: string[];
  /** CREATING devices whose lost provisioning the sweep carried out. */
  provisioningResumed: string[];
  /** DELETED devices whose overdue teardown the sweep carried out. */
  teardownsResumed: string[];
  /** DELETED devices whose phone the provider still did not release (retried on the next sweep). */
  teardownsFailed: string[];
}

/** How long a device may stay CREATING before the sweep takes its provisioning over (default). */
export const DEFAULT_PROVISION_TIMEOUT_MS = 5 * 60_000;

/**
 * One health sweep: probes RUNNING and ERROR devices through the provider
 * driver (a sick RUNNING device goes to ERROR, a healthy ERROR one recovers
 * to RUNNING, each change published like any other), and marks nodes silent
 * for 3 minutes OFFLINE, and resumes provisioning lost with a dead process
 * (a device CREATING for `provisionTimeoutMs`), and retries the teardown of
 * deleted devices whose phone is still not released after TEARDOWN_LEASE_MS
 * (the provider refused until the event went to the dead letters, or the
 * process died). Safe on several replicas at once: status changes are
 * compare-and-set, so a device fails or recovers once, and teardowns are
 * claimed, so a phone is released once.
 */
export async function sweepHealth(
  devices: DevicesRepository,
  nodes: NodesRepository,
  driver: ProviderDriver,
  now = new Date(),
  batchSize = 500,
  provisionTimeoutMs = DEFAULT_PROVISION_TIMEOUT_MS,
): Promise<SweepReport> {
  const report: SweepReport = { probed: 0, failed: [], recovered: [], nodesOffline: [], provisioningResumed: [], teardownsResumed: [], teardownsFailed: [] };
  const context = { requestId: `health-sweep-${now.toISOString()}` };
  for (const device of await devices.findForHealthCheck(batchSize)) {
    const health = await driver.health(device);
    report.probed += 1;
    if (device.status === 'RUNNING' && !health.healthy) {
      const outcome = await devices.transition(device.id, 'ERROR', context, { healthScore: health.score, lastHeartbeatAt: now });
      if (outcome.kind === 'changed') report.failed.push(device.id);
    } else if (device.status === 'ERROR' && health.healthy) {
      const outcome = await devices.transition(device.id, 'RUNNING', context, { healthScore: health.score, lastHeartbeatAt: now });
      if (outcome.kind === 'changed') report.recovered.push(device.id);
    } else {
      await devices.recordHealth(device.id, health.score, now);
    }
  }
  report.nodesOffline = await nodes.markSilentOffline(new Date(now.getTime() - NODE_SILENCE_LIMIT_MS));
  for (const device of await devices.findStuckCreating(new Date(now.getTime() - provisionTimeoutMs), batchSize)) {
    const { outcome } = await provisionDevice(devices, driver, device, context);
    if (outcome !== 'moved-on') report.provisioningResumed.push(device.id);
  }
  for (const device of await devices.findTeardownsDue(new Date(now.getTime() - TEARDOWN_LEASE_MS), batchSize)) {
    const { outcome } = await tearDownDevice(devices, driver, device.id, now);
    if (outcome === 'torn-down') report.teardownsResumed.push(device.id);
    if (outcome === 'failed') report.teardownsFailed.push(device.id);
  }
  return report;
}
