import { formatMoney } from '@cloudphone/billing-subgraph/money/money';
import { type OrderSummary, defaultBalanceCurrency, latestOrdersBy, pageInfoOf } from './floor-shapes.js';
import { type BenchPage, type PageDatabases, committedOperation, variableOf } from './page.js';

/** One user of the admin user list, as schema/operations/admin-user-list.graphql answers it. */
export interface UserListItem {
  id: string;
  username: string;
  displayName: string;
  email: string;
  status: string;
  createdAt: string;
  tenant: { name: string };
  balance: { amount: string; currency: string };
  devices: { totalCount: number };
  latestOrder: OrderSummary | null;
}

export interface UserListData {
  users: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: UserListItem }[] };
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string;
  status: string;
  created_at: Date;
  tenant_name: string;
}
interface CountRow {
  total: number;
}
interface BalanceRow {
  user_id: string;
  balance_minor: string;
}
interface DeviceCountRow {
  user_id: string;
  devices: number;
}


/**
 * The admin user list read straight from three databases: the page of users
 * (oldest first, with their tenant) and the count of every user at once, then
 * the balances and latest orders (billing) and device counts (devices) of
 * those users at once. Everything is visible to the benchmark's SUPER_ADMIN,
 * so nothing is filtered: `totalCount` counts the whole users table, as the
 * users subgraph does for an ALL scope.
 */
export async function readUserListPage(databases: PageDatabases, first: number): Promise<UserListData> {
  const [rows, [count]] = await Promise.all([
    databases.users<UserRow[]>`
      select u.id, u.username, u.display_name, u.email, u.status, u.created_at, t.name as tenant_name
      from users u join tenants t on t.id = u.tenant_id
      order by u.created_at asc, u.id asc
      limit ${first + 1}`,
    databases.users<CountRow[]>`select count(*)::int as total from users`,
  ]);
  const page = rows.slice(0, first);
  const userIds = page.map((row) => row.id);
  const currency = defaultBalanceCurrency();
  const [balances, deviceCounts, orderById] = await Promise.all([
    databases.billing<BalanceRow[]>`
      select user_id, balance_minor
      from balances
      where user_id = any(${userIds}::uuid[]) and currency = ${currency}`,
    databases.devices<DeviceCountRow[]>`
      select user_id, count(*)::int as devices
      from devices
      where user_id = any(${userIds}::uuid[])
      group by user_id`,
    latestOrdersBy(databases.billing, 'user_id', userIds),
  ]);
  const balanceById = new Map(balances.map((row) => [row.user_id, Number(row.balance_minor)]));
  const devicesById = new Map(deviceCounts.map((row) => [row.user_id, row.devices]));
  const edges = page.map((row) => {
    const order = orderById.get(row.id);
    return {
      node: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        email: row.email,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        tenant: { name: row.tenant_name },
        // A balance that never moved has no row: zero.
        balance: { amount: formatMoney(balanceById.get(row.id) ?? 0, currency), currency },
        devices: { totalCount: devicesById.get(row.id) ?? 0 },
        latestOrder: order ?? null,
      } satisfies UserListItem,
    };
  });
  return {
    users: {
      totalCount: count?.total ?? 0,
      pageInfo: pageInfoOf(rows, first, (row) => ({ value: row.created_at.toISOString(), id: row.id })),
      edges,
    },
  };
}

export const userListPage: BenchPage = {
  name: 'user-list',
  title: 'admin user list',
  description:
    "`users(first: N)` (the whole list, oldest first, no tenant filter) with its `totalCount` and each user's tenant, balance, device count (`devices(first: 1) { totalCount }`) and latest order with its plan: the users, billing and devices subgraphs. `totalCount` counts every user the administrator may see, which for a SUPER_ADMIN is the whole users table.",
  query: () => committedOperation('admin-user-list.graphql'),
  pageSizeVariable: 'first',
  variables: async (_databases, pageSize) => ({ first: pageSize }),
  readFloor: (databases, variables) => readUserListPage(databases, variableOf(variables, 'first', 'number')),
};
