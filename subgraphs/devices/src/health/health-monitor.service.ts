import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE } from '@cloudphone/subgraph-kit';
import type { SubgraphDatabase } from '@cloudphone/db';
import { loadDriverConfig } from '../config.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { PROVIDER_DRIVER, type ProviderDriver } from '../drivers/provider-driver.js';
import { NodesRepository } from '../nodes/nodes.repository.js';
import { sweepHealth } from './health-monitor.js';

/** Runs the health sweep every DEVICE_HEALTH_INTERVAL_MS while the subgraph runs. */
@Injectable()
export class HealthMonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('devices-health');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly settings = loadDriverConfig();

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly devices: DevicesRepository,
    private readonly nodes: NodesRepository,
    @Inject(PROVIDER_DRIVER) private readonly driver: ProviderDriver,
  ) {}

  onApplicationBootstrap(): void {
    if (this.database.kind === 'none') return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = sweepHealth(this.devices, this.nodes, this.driver, new Date(), 500, this.settings.provisionTimeoutMs)
        .then((report) => {
          const changed = report.failed.length + report.recovered.length + report.nodesOffline.length + report.provisioningResumed.length + report.teardownsResumed.length;
          if (changed > 0) this.logger.log(JSON.stringify(report));
          // Phones of deleted devices still held at the provider: said on every sweep until released.
          if (report.teardownsFailed.length > 0) this.logger.warn(`the provider did not release the phones of deleted devices ${report.teardownsFailed.join(', ')}`);
        })
        .catch((error: unknown) => this.logger.warn(`health sweep failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
        });
    }, this.settings.healthIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
