import { formatMoney } from '@cloudphone/billing-subgraph/money/money';
import { type BenchPage, type PageDatabases, committedOperation, variableOf } from './page.js';
import { pageInfoOf } from './floor-shapes.js';

/** One order of the billing console's order list, as schema/operations/order-list.graphql answers it. */
export interface OrderListItem {
  id: string;
  status: string;
  amount: string;
  currency: string;
  createdAt: string;
  paidAt: string | null;
  expiresAt: string;
  user: { id: string; displayName: string; email: string };
  plan: { id: string; name: string; tier: string; periodDays: number };
  device: { id: string; name: string; status: string } | null;
  payments: { id: string; method: string; status: string; amount: string; createdAt: string }[];
}

export interface OrderListData {
  orders: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: OrderListItem }[] };
}

interface OrderRow {
  id: string;
  user_id: string;
  device_id: string | null;
  status: string;
  amount_minor: string;
  currency: string;
  created_at: Date;
  paid_at: Date | null;
  expires_at: Date;
  plan_id: string;
  plan_name: string;
  plan_tier: string;
  plan_period_days: number;
}
interface CountRow {
  total: number;
}
interface UserRow {
  id: string;
  display_name: string;
  email: string;
}
interface DeviceRow {
  id: string;
  name: string;
  status: string;
}
interface PaymentRow {
  id: string;
  order_id: string;
  method: string;
  status: string;
  amount_minor: string;
  currency: string;
  created_at: Date;
}

/**
 * The order list read straight from three databases: the page of orders
 * (newest first, with their plan) and the count of every order at once, then
 * the users (users), devices (devices) and payments (billing) of those orders
 * at once. Everything is visible to the benchmark's SUPER_ADMIN, so nothing is
 * filtered: `totalCount` counts the whole orders table, as the billing
 * subgraph does for an ALL scope.
 */
export async function readOrderListPage(databases: PageDatabases, first: number): Promise<OrderListData> {
  const [rows, [count]] = await Promise.all([
    databases.billing<OrderRow[]>`
      select o.id, o.user_id, o.device_id, o.status, o.amount_minor, o.currency, o.created_at, o.paid_at, o.expires_at,
        p.id as plan_id, p.name as plan_name, p.tier as plan_tier, p.period_days as plan_period_days
      from orders o join plans p on p.id = o.plan_id
      order by o.created_at desc, o.id desc
      limit ${first + 1}`,
    databases.billing<CountRow[]>`select count(*)::int as total from orders`,
  ]);
  const page = rows.slice(0, first);
  const orderIds = page.map((row) => row.id);
  const userIds = [...new Set(page.map((row) => row.user_id))];
  const deviceIds = [...new Set(page.flatMap((row) => (row.device_id === null ? [] : [row.device_id])))];
  const [users, devices, payments] = await Promise.all([
    databases.users<UserRow[]>`
      select id, display_name, email
      from users
      where id = any(${userIds}::uuid[])`,
    databases.devices<DeviceRow[]>`
      select id, name, status
      from devices
      where id = any(${deviceIds}::uuid[])`,
    databases.billing<PaymentRow[]>`
      select id, order_id, method, status, amount_minor, currency, created_at
      from payments
      where order_id = any(${orderIds}::uuid[])
      order by created_at asc, id asc`,
  ]);
  const userById = new Map(users.map((user) => [user.id, user]));
  const deviceById = new Map(devices.map((device) => [device.id, device]));
  const paymentsByOrder = new Map<string, OrderListItem['payments']>();
  for (const payment of payments) {
    const list = paymentsByOrder.get(payment.order_id) ?? [];
    list.push({
      id: payment.id,
      method: payment.method,
      status: payment.status,
      amount: formatMoney(Number(payment.amount_minor), payment.currency),
      createdAt: payment.created_at.toISOString(),
    });
    paymentsByOrder.set(payment.order_id, list);
  }
  const edges = page.map((row) => {
    const user = userById.get(row.user_id);
    if (!user) throw new Error(`order ${row.id}: user ${row.user_id} is not in the users database`);
    const device = row.device_id === null ? undefined : deviceById.get(row.device_id);
    return {
      node: {
        id: row.id,
        status: row.status,
        amount: formatMoney(Number(row.amount_minor), row.currency),
        currency: row.currency,
        createdAt: row.created_at.toISOString(),
        paidAt: row.paid_at === null ? null : row.paid_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
        user: { id: user.id, displayName: user.display_name, email: user.email },
        plan: { id: row.plan_id, name: row.plan_name, tier: row.plan_tier, periodDays: row.plan_period_days },
        // A device the devices database no longer holds resolves to null, as the gateway answers it.
        device: device === undefined ? null : { id: device.id, name: device.name, status: device.status },
        payments: paymentsByOrder.get(row.id) ?? [],
      } satisfies OrderListItem,
    };
  });
  return {
    orders: {
      totalCount: count?.total ?? 0,
      pageInfo: pageInfoOf(rows, first, (row) => ({ value: row.created_at.toISOString(), id: row.id })),
      edges,
    },
  };
}

export const orderListPage: BenchPage = {
  name: 'order-list',
  title: 'order list',
  description:
    "`orders(first: N)` (newest first, no status filter) with its `totalCount` and each order's user (name, e-mail), plan, device and payments: the billing, users and devices subgraphs. `totalCount` counts every order the administrator may see, which for a SUPER_ADMIN is the whole orders table.",
  query: () => committedOperation('order-list.graphql'),
  pageSizeVariable: 'first',
  variables: async (_databases, pageSize) => ({ first: pageSize }),
  readFloor: (databases, variables) => readOrderListPage(databases, variableOf(variables, 'first', 'number')),
};
