import type { SubgraphDatabase } from '@cloudphone/db';
import type { EventTransport } from '@cloudphone/events';
import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DATABASE } from './database.module.js';
import { EVENT_TRANSPORT, SERVICE_NAME } from './events.module.js';

/** How long the database may take to answer a readiness probe. */
const DATABASE_PROBE_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

export interface Readiness {
  status: 'ready' | 'not-ready';
  service: string;
  checks: { database: DependencyState; events: DependencyState };
}

/**
 * Probes for orchestrators: `/health` says the process serves (liveness: a
 * failing one is restarted); `/ready` says it can do its work now, its
 * database answering and its event broker connected (readiness: traffic is
 * routed to it only then). Neither needs an identity.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
  ) {}

  @Get('health')
  health(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.service };
  }

  /** 200 when ready, 503 with the failing checks otherwise. */
  @Get('ready')
  async ready(): Promise<Readiness> {
    const readiness: Readiness = {
      status: 'ready',
      service: this.service,
      checks: { database: (await this.databaseAnswers()) ? 'up' : 'down', events: this.transport.isConnected() ? 'up' : 'down' },
    };
    if (readiness.checks.database === 'up' && readiness.checks.events === 'up') return readiness;
    throw new HttpException({ ...readiness, status: 'not-ready' }, HttpStatus.SERVICE_UNAVAILABLE);
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
    });
    try {
      const probe = this.database.ping().then(
        () => true,
        () => false,
      );
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
