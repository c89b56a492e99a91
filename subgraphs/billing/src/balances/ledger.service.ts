import type { Database } from '@cloudphone/db';
import { Outbox } from '@cloudphone/events';
import { Inject, Injectable } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import { type LedgerEntry, LedgerRepository, type PostOutcome } from './ledger.repository.js';

/** Whether a movement from `before` to `after` takes a balance below the threshold (crossing it, not staying under it). */
export function crossesLowThreshold(beforeMinor: number, afterMinor: number, thresholdMinor: number): boolean {
  return beforeMinor >= thresholdMinor && afterMinor < thresholdMinor;
}

/**
 * Moves money on balances for every feature (purchases, recharges,
 * metering, adjustments), inside the caller's transaction. A debit that
 * takes the balance below BILLING_LOW_BALANCE_MINOR emits one balance.low in
 * the same transaction: once per crossing, not on every debit below it.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly outbox: Outbox,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  async post(tx: Database, entry: LedgerEntry, origin: { requestId: string }): Promise<PostOutcome> {
    const outcome = await this.ledger.post(tx, entry);
    if (outcome.kind !== 'posted') return outcome;
    const { balanceBeforeMinor } = outcome;
    const after = outcome.entry.balanceAfterMinor;
    if (crossesLowThreshold(balanceBeforeMinor, after, this.settings.lowBalanceMinor)) {
      await this.outbox.append(
        tx,
        {
          type: 'balance.low',
          data: { userId: entry.userId, balanceMinor: after, thresholdMinor: this.settings.lowBalanceMinor, currency: entry.currency },
          aggregateId: entry.userId,
          tenantId: entry.tenantId,
          userId: entry.userId,
        },
        origin,
      );
    }
    return outcome;
  }
}
