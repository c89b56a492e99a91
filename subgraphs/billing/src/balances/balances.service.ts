import type { SubgraphDatabase } from '@cloudphone/db';
import { cursorOf } from '@cloudphone/db';
import { AppError, badUserInput } from '@cloudphone/errors';
import { assertAccess, assertAnyAccess, readableOrError } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, DATABASE, type RequestContext, parseId, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { BalanceRow, BalanceTransactionRow } from '../database/schema.js';
import { formatMoney, parseMoney } from '../money/money.js';
import { UsersClient } from '../peers/users.client.js';
import { LedgerRepository, NEWEST_ENTRIES_FIRST } from './ledger.repository.js';
import { LedgerService } from './ledger.service.js';
import { type AdjustBalanceInput, type Balance, type BalanceTransaction, LedgerEntryKind } from './models/balance.model.js';

export function toBalanceTransaction(row: BalanceTransactionRow): BalanceTransaction {
  return {
    id: row.id,
    type: row.type as LedgerEntryKind,
    amount: formatMoney(row.amountMinor, row.currency),
    balanceAfter: formatMoney(row.balanceAfterMinor, row.currency),
    currency: row.currency,
    description: row.description,
    referenceType: row.referenceType,
    referenceId: row.referenceId,
    createdAt: row.createdAt,
  };
}

function toBalance(userId: string, currency: string, row: BalanceRow | undefined): Balance {
  const amountMinor = row?.balanceMinor ?? 0;
  return { userId, currency, amountMinor, amount: formatMoney(amountMinor, currency), updatedAt: row?.updatedAt ?? null };
}

@Injectable()
export class BalancesService {
  constructor(
    @Inject(DATABASE) private readonly database: SubgraphDatabase,
    private readonly repository: LedgerRepository,
    private readonly ledger: LedgerService,
    private readonly users: UsersClient,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /**
   * A user's balance (zero if it never moved) within the principal's
   * payment read scope; FORBIDDEN for that user only otherwise. One statement
   * for N users. A balance that never moved has no tenant yet, so a TENANT
   * scope sees it only once it has moved.
   */
  balanceOf(context: RequestContext, userId: string, currency: string | undefined): Promise<Balance | null> {
    const wanted = currency ?? this.settings.currency;
    if (!/^[A-Z]{3}$/.test(wanted)) throw badUserInput('"currency" must be an ISO 4217 code such as "USD"', 'currency');
    return context.loaders
      .get<string, Balance | null>(`User.balance:${wanted}`, async (userIds) => {
        const rows = await this.repository.balancesOf(userIds, wanted);
        return userIds.map((id) => {
          const row = rows.find((candidate) => candidate.userId === id);
          return readableOrError(context.principal, 'payment', toBalance(id, wanted, row), { userId: id, tenantId: row?.tenantId ?? null });
        });
      })
      .load(userId);
  }

  /** The movements of a balance the caller could read (the balance resolver checked), newest first. */
  async transactionsOf(balance: Balance, args: ConnectionArgs): Promise<ConnectionShape<BalanceTransaction>> {
    const request = toPageRequest(args);
    const page = await this.repository.findPage(balance.userId, balance.currency, request);
    return toConnection(page, request, (row) => cursorOf(NEWEST_ENTRIES_FIRST, row.createdAt, row.id), toBalanceTransaction);
  }

  /**
   * An administrator's correction: needs payment:write over the user. A
   * debit larger than the balance is INSUFFICIENT_BALANCE (balances never go
   * negative). The caller's key makes a repeated call adjust once.
   */
  async adjust(context: RequestContext, input: AdjustBalanceInput): Promise<BalanceTransaction> {
    assertAnyAccess(context.principal, 'payment', 'write');
    const userId = parseId(input.userId, 'userId');
    const currency = input.currency ?? this.settings.currency;
    const negative = input.amount.trim().startsWith('-');
    const magnitude = parseMoney(negative ? input.amount.trim().slice(1) : input.amount, currency, 'amount');
    if (magnitude === 0) throw badUserInput('"amount" must not be zero', 'amount');
    const user = await this.users.findById(context, userId);
    if (!user) throw new AppError('USER_NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    assertAccess(context.principal, 'payment', { userId, tenantId: user.tenantId }, 'write');
    const outcome = await this.database.db.transaction((tx) =>
      this.ledger.post(
        tx,
        {
          userId,
          tenantId: user.tenantId,
          currency,
          type: 'ADJUSTMENT',
          amountMinor: negative ? -magnitude : magnitude,
          idempotencyKey: `adjust:${input.idempotencyKey}`,
          referenceType: null,
          referenceId: null,
          description: `Adjustment by ${context.principal.userId ?? context.principal.kind}: ${input.reason.trim()}`,
        },
        context,
      ),
    );
    if (outcome.kind === 'insufficient') {
      throw new AppError('INSUFFICIENT_BALANCE', `The balance (${formatMoney(outcome.balanceMinor, currency)} ${currency}) does not cover this debit`, { details: { field: 'amount' } });
    }
    if (outcome.entry.userId !== userId || outcome.entry.amountMinor !== (negative ? -magnitude : magnitude)) {
      throw new AppError('CONFLICT', 'This idempotency key was used for another adjustment', { details: { field: 'idempotencyKey' } });
    }
    return toBalanceTransaction(outcome.entry);
  }
}
