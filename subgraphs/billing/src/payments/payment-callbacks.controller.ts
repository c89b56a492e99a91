import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, HttpException, HttpStatus, Inject, Logger, Param, Post, type RawBodyRequest, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.js';
import { PaymentsService } from './payments.service.js';

/**
 * Where payment providers post their callbacks. Nothing is read from a
 * callback before its signature is verified over the exact bytes received;
 * a forged or stale one is refused (401) and writes nothing. A duplicate is
 * answered 200 (so the provider stops redelivering) and changes nothing.
 */
@Controller('webhooks/payments')
export class PaymentCallbacksController {
  private readonly logger = new Logger('billing-payment-callbacks');

  constructor(
    private readonly payments: PaymentsService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  @Post(':provider')
  @HttpCode(HttpStatus.OK)
  async receive(@Param('provider') provider: string, @Req() request: RawBodyRequest<IncomingMessage>): Promise<{ received: true; outcome: string }> {
    if (provider !== this.provider.name) throw new HttpException({ error: `unknown payment provider ${provider}` }, HttpStatus.NOT_FOUND);
    const verdict = this.provider.verifyCallback(request.rawBody ?? Buffer.alloc(0), request.headers);
    if (!verdict.valid) {
      this.logger.warn(`refused a ${provider} callback: ${verdict.reason}`);
      throw new HttpException({ error: 'invalid callback signature' }, HttpStatus.UNAUTHORIZED);
    }
    const outcome = await this.payments.applyProviderEvent(verdict.event, randomUUID());
    if (outcome === 'unknown-payment') throw new HttpException({ error: 'unknown payment reference' }, HttpStatus.NOT_FOUND);
    return { received: true, outcome };
  }
}
