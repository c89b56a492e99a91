import type { SubgraphDatabase } from '@cloudphone/db';
import { DATABASE, type SubgraphClient } from '@cloudphone/subgraph-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AllocationsRepository } from '../allocations/allocations.repository.js';
import { SCHEDULER_SETTINGS, type SchedulerSettings } from '../config.js';
import { DEVICES_CLIENT } from '../peers.module.js';
import { sweepReservations } from './reservation-sweep.js';

/** Runs the reservation sweep every SCHEDULER_SWEEP_INTERVAL_MS while the subgraph runs. */
@Injectable()
export class ReservationSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('scheduler-reservations');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly allocations: AllocationsRepository,
    @Inject(DEVICES_CLIENT) private readonly devices: SubgraphClient,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
  ) {}

  /** Asks the devices subgraph which of these devices exist and are not deleted. */
  private readonly devicesThatExist = async (deviceIds: readonly string[]): Promise<ReadonlySet<string>> => {
    const found = await this.devices.fetchEntities<{ id: string; status: string }>('Device', deviceIds, 'id status', randomUUID());
    return new Set(found.flatMap((device) => (device && device.status !== 'DELETED' ? [device.id] : [])));
  };

  onApplicationBootstrap(): void {
    if (this.database.kind === 'none') return;
    this.timer = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  private sweep(): void {
    if (this.running) return;
    this.running = sweepReservations(this.allocations, this.devicesThatExist, { ttlMs: this.settings.reservationTtlMs })
      .then((report) => {
        if (report.expired.length > 0) this.logger.warn(JSON.stringify({ message: 'reservations expired', ...report }));
      })
      .catch((error: unknown) => this.logger.warn(`reservation sweep failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
