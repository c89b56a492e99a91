import { ServiceMetrics } from '@cloudphone/observability';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';

/**
 * `/metrics`: this subgraph's metrics in Prometheus's text format, beside
 * `/health` and `/ready` and, like them, without an identity. Meant for the
 * scraper inside the deployment, not for clients.
 */
@Controller()
export class MetricsController {
  constructor(@Inject(ServiceMetrics) private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  async scrape(@Res() response: Response): Promise<void> {
    const text = await this.metrics.render();
    response.type(this.metrics.contentType).send(text);
  }
}
