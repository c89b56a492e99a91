import { formatMoney } from '../money/money.js';
import type { MoneyLineRow, UsageLineRow } from './invoices.repository.js';
import { type InvoiceLine, InvoiceLineKind, type TotalsMinor } from './models/invoice.model.js';

function line(fields: Omit<InvoiceLine, 'amount' | 'charged' | 'due'>, currency: string): InvoiceLine {
  return { ...fields, amount: formatMoney(fields.amountMinor, currency), charged: formatMoney(fields.chargedMinor, currency), due: formatMoney(fields.dueMinor, currency) };
}

/** "Running at 0.12 USD per hour", or free running where no rule priced it. */
function usageDescription(row: UsageLineRow, currency: string): string {
  return row.pricePerHourMinor === null ? 'Running (no billing rule: free)' : `Running at ${formatMoney(row.pricePerHourMinor, currency)} ${currency} per hour`;
}

/**
 * An invoice's lines in time order: its usage per device and price, its paid
 * orders (charged in full) and its recharges (credits, charged 0).
 */
export function invoiceLines(currency: string, usage: readonly UsageLineRow[], paidOrders: readonly MoneyLineRow[], recharges: readonly MoneyLineRow[]): InvoiceLine[] {
  const lines = [
    ...usage.map((row) =>
      line(
        {
          kind: InvoiceLineKind.USAGE,
          description: usageDescription(row, currency),
          deviceId: row.deviceId,
          referenceId: null,
          from: row.firstStartedAt,
          to: row.lastEndedAt,
          runningMs: row.durationMs,
          coveredMs: row.coveredMs,
          amountMinor: row.costMinor,
          chargedMinor: row.chargedMinor,
          dueMinor: row.unpaidMinor,
        },
        currency,
      ),
    ),
    ...paidOrders.map((row) =>
      line(
        { kind: InvoiceLineKind.ORDER, description: row.description, deviceId: row.deviceId, referenceId: row.id, from: row.at, to: row.at, runningMs: null, coveredMs: null, amountMinor: row.amountMinor, chargedMinor: row.amountMinor, dueMinor: 0 },
        currency,
      ),
    ),
    ...recharges.map((row) =>
      line(
        { kind: InvoiceLineKind.RECHARGE, description: row.description, deviceId: null, referenceId: row.id, from: row.at, to: row.at, runningMs: null, coveredMs: null, amountMinor: row.amountMinor, chargedMinor: 0, dueMinor: 0 },
        currency,
      ),
    ),
  ];
  return lines.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** Total = usage cost + paid orders; charged = what the balance or a payment covered; due = the rest; recharges are credited apart. */
export function addUp(lines: readonly InvoiceLine[]): TotalsMinor {
  const totals: TotalsMinor = { totalMinor: 0, chargedMinor: 0, dueMinor: 0, creditedMinor: 0 };
  for (const each of lines) {
    if (each.kind === InvoiceLineKind.RECHARGE) {
      totals.creditedMinor += each.amountMinor;
      continue;
    }
    totals.totalMinor += each.amountMinor;
    totals.chargedMinor += each.chargedMinor;
    totals.dueMinor += each.dueMinor;
  }
  return totals;
}
