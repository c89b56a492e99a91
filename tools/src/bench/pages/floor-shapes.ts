import { encodeCursor } from '@cloudphone/db';
import { loadBillingSettings } from '@cloudphone/billing-subgraph/config';
import { formatMoney } from '@cloudphone/billing-subgraph/money/money';
import type postgres from 'postgres';

/**
 * A list page's `pageInfo` as the subgraphs answer it, from the rows a floor read: `first + 1` of them, the extra
 * one telling whether a next page exists. `sortKey` is the last row's keyset position (its sort value and id).
 */
export function pageInfoOf<Row>(rows: readonly Row[], first: number, sortKey: (row: Row) => { value: string; id: string }): { hasNextPage: boolean; endCursor: string | null } {
  const last = rows.slice(0, first).at(-1);
  return { hasNextPage: rows.length > first, endCursor: last === undefined ? null : encodeCursor(sortKey(last)) };
}

/** An order with its plan's name, as several pages show one (a device's or a user's latest order, a page of orders). */
export interface OrderSummary {
  id: string;
  status: string;
  amount: string;
  currency: string;
  createdAt: string;
  plan: { name: string };
}

/** The columns a floor selects for one: `o.id, o.status, o.amount_minor, o.currency, o.created_at, p.name as plan_name`. */
export interface OrderSummaryRow {
  id: string;
  status: string;
  /** Minor units; the driver returns a bigint as text. */
  amount_minor: string;
  currency: string;
  created_at: Date;
  plan_name: string;
}

/** The row as the billing subgraph answers it: money formatted by its own function, the time in ISO. */
export function orderSummary(row: OrderSummaryRow): OrderSummary {
  return {
    id: row.id,
    status: row.status,
    amount: formatMoney(Number(row.amount_minor), row.currency),
    currency: row.currency,
    createdAt: row.created_at.toISOString(),
    plan: { name: row.plan_name },
  };
}

/**
 * The latest order, with its plan, of each of `ids` (devices or users, by `column` of orders), keyed by that id:
 * one statement for the whole page, read through the orders' `(column, created_at)` index.
 */
export async function latestOrdersBy(billing: postgres.Sql, column: 'device_id' | 'user_id', ids: string[]): Promise<Map<string, OrderSummary>> {
  const rows = await billing<(OrderSummaryRow & { owner_id: string })[]>`
    select distinct on (o.${billing(column)}) o.${billing(column)} as owner_id, o.id, o.status, o.amount_minor, o.currency, o.created_at, p.name as plan_name
    from orders o join plans p on p.id = o.plan_id
    where o.${billing(column)} = any(${ids}::uuid[])
    order by o.${billing(column)}, o.created_at desc, o.id desc`;
  return new Map(rows.map((row) => [row.owner_id, orderSummary(row)]));
}

let balanceCurrency: string | undefined;

/** The currency `User.balance` answers in without an argument: billing's BILLING_CURRENCY, read as billing reads it. */
export function defaultBalanceCurrency(): string {
  balanceCurrency ??= loadBillingSettings().currency;
  return balanceCurrency;
}
