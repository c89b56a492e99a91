import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addUp, invoiceLines } from './invoice-lines.js';
import { InvoiceLineKind } from './models/invoice.model.js';

const t = (iso: string) => new Date(iso);

test('an invoice adds up usage and paid orders; recharges are credited apart; what the balance missed is due', () => {
  const lines = invoiceLines(
    'USD',
    [
      { invoiceId: 'i', deviceId: 'd1', pricePerHourMinor: 12, records: 3, firstStartedAt: t('2025-03-02T00:00:00Z'), lastEndedAt: t('2025-03-02T05:00:00Z'), durationMs: 18_000_000, coveredMs: 0, costMinor: 60, chargedMinor: 45, unpaidMinor: 15 },
      { invoiceId: 'i', deviceId: 'd2', pricePerHourMinor: null, records: 1, firstStartedAt: t('2025-03-01T00:00:00Z'), lastEndedAt: t('2025-03-01T01:00:00Z'), durationMs: 3_600_000, coveredMs: 0, costMinor: 0, chargedMinor: 0, unpaidMinor: 0 },
    ],
    [{ invoiceId: 'i', id: 'o1', at: t('2025-03-05T00:00:00Z'), amountMinor: 999, description: 'Plan Basic', deviceId: 'd1' }],
    [{ invoiceId: 'i', id: 'r1', at: t('2025-03-01T12:00:00Z'), amountMinor: 5000, description: 'Recharge', deviceId: null }],
  );
  assert.deepEqual(
    lines.map((line) => [line.kind, line.amount, line.charged, line.due]),
    [
      [InvoiceLineKind.USAGE, '0.00', '0.00', '0.00'],
      [InvoiceLineKind.RECHARGE, '50.00', '0.00', '0.00'],
      [InvoiceLineKind.USAGE, '0.60', '0.45', '0.15'],
      [InvoiceLineKind.ORDER, '9.99', '9.99', '0.00'],
    ],
    'in time order',
  );
  assert.equal(lines[2]?.description, 'Running at 0.12 USD per hour');
  assert.deepEqual(addUp(lines), { totalMinor: 1059, chargedMinor: 1044, dueMinor: 15, creditedMinor: 5000 });
});
