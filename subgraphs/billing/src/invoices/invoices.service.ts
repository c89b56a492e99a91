import { type Database, cursorOf } from '@cloudphone/db';
import { readableOrError } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, byKeys } from '@cloudphone/subgraph-kit';
import { Inject, Injectable } from '@nestjs/common';
import { BILLING_SETTINGS, type BillingSettings } from '../config.js';
import type { InvoiceRow } from '../database/schema.js';
import { formatMoney } from '../money/money.js';
import { connectionOfParent } from '../paging/connection-per-parent.js';
import { addUp, invoiceLines } from './invoice-lines.js';
import { type InvoiceKey, InvoicesRepository, NEWEST_INVOICES_FIRST } from './invoices.repository.js';
import { type Invoice, type InvoiceLine, InvoiceStatus, type InvoiceTotals, type TotalsMinor } from './models/invoice.model.js';
import { periodLabel, previousMonth } from './period.js';

export function toInvoice(row: InvoiceRow): Invoice {
  const frozen =
    row.totalMinor === null || row.chargedMinor === null || row.dueMinor === null || row.creditedMinor === null
      ? null
      : { totalMinor: row.totalMinor, chargedMinor: row.chargedMinor, dueMinor: row.dueMinor, creditedMinor: row.creditedMinor };
  return {
    id: row.id,
    userId: row.userId,
    tenantId: row.tenantId,
    period: periodLabel(row.periodStart),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    currency: row.currency,
    status: row.status as InvoiceStatus,
    closedAt: row.closedAt,
    frozen: row.status === 'CLOSED' ? frozen : null,
  };
}

const keyOf = (invoice: Invoice): InvoiceKey => ({ id: invoice.id, userId: invoice.userId, currency: invoice.currency, periodStart: invoice.periodStart, periodEnd: invoice.periodEnd });

export function formatTotals(totals: TotalsMinor, currency: string): InvoiceTotals {
  return {
    total: formatMoney(totals.totalMinor, currency),
    charged: formatMoney(totals.chargedMinor, currency),
    due: formatMoney(totals.dueMinor, currency),
    credited: formatMoney(totals.creditedMinor, currency),
  };
}

/**
 * Invoices are money: read with the `payment` permission and data scope (a
 * USER its own, an ADMIN its tenant's, a SUPER_ADMIN all). An invoice is
 * opened when its month has something to bill and closed, once, after the
 * month and INVOICE_CLOSE_GRACE_MS: the totals are frozen then.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly repository: InvoicesRepository,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
  ) {}

  /** `invoice(id)`: batched per request; one out of the principal's scope is FORBIDDEN for its key only. */
  byId(context: RequestContext, id: string): Promise<Invoice | null> {
    return context.loaders
      .get<string, Invoice | null>('Invoice.byId', async (ids) => {
        const rows = byKeys(ids, await this.repository.findByIds(ids), (row) => row.id);
        return rows.map((row) => (row === null ? null : readableOrError(context.principal, 'payment', toInvoice(row), { userId: row.userId, tenantId: row.tenantId })));
      })
      .load(id);
  }

  /** A user's invoices within the principal's scope, newest month first; one statement for any number of users. */
  invoicesOfUser(context: RequestContext, userId: string, args: ConnectionArgs): Promise<ConnectionShape<Invoice>> {
    return connectionOfParent(context, userId, args, {
      name: 'User.invoices',
      resource: 'payment',
      pages: (ids, request, scope) => this.repository.pagesPerUser(ids, request, scope),
      cursor: (row) => cursorOf(NEWEST_INVOICES_FIRST, row.periodStart, row.id),
      toNode: toInvoice,
    });
  }

  /** The lines of an invoice the caller already reads; three statements for any number of invoices. */
  linesOf(context: RequestContext, invoice: Invoice): Promise<InvoiceLine[]> {
    return context.loaders
      .get<Invoice, InvoiceLine[]>('Invoice.lines', (invoices) => this.readLines(invoices.map(keyOf)), (each) => each.id)
      .load(invoice);
  }

  /** Frozen once closed; while open, the lines added up. */
  async totalsOf(context: RequestContext, invoice: Invoice): Promise<InvoiceTotals> {
    return formatTotals(invoice.frozen ?? addUp(await this.linesOf(context, invoice)), invoice.currency);
  }

  private async readLines(keys: readonly InvoiceKey[], tx?: Database): Promise<InvoiceLine[][]> {
    const { usage, paidOrders, recharges } = await this.repository.lineSources(keys, tx);
    return keys.map((key) =>
      invoiceLines(
        key.currency,
        usage.filter((row) => row.invoiceId === key.id),
        paidOrders.filter((row) => row.invoiceId === key.id),
        recharges.filter((row) => row.invoiceId === key.id),
      ),
    );
  }

  /**
   * The closing job: opens the invoices of last and this month's paid orders
   * and recharges, then closes every open invoice whose month ended at least
   * INVOICE_CLOSE_GRACE_MS ago, each in a transaction that locks it (charges
   * onto it wait, another replica's close finds it CLOSED). Idempotent.
   */
  async closeDue(now: Date, batch = 200): Promise<{ closed: number }> {
    await this.repository.openForActivity(previousMonth(now).start);
    let closed = 0;
    const due = await this.repository.dueToClose(new Date(now.getTime() - this.settings.invoiceCloseGraceMs), batch);
    for (const invoice of due) {
      const done = await this.repository.withOpenInvoice(invoice.id, async (tx, locked) => {
        const [lines = []] = await this.readLines([locked], tx);
        return this.repository.close(tx, locked.id, addUp(lines), now);
      });
      if (done) closed += 1;
    }
    return { closed };
  }
}
