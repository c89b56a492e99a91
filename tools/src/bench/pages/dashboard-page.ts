import { periodLabel } from '@cloudphone/billing-subgraph/invoices/period';
import { formatMoney } from '@cloudphone/billing-subgraph/money/money';
import { RUNNING_SLOT_STATES } from '@cloudphone/devices-subgraph/quotas/quota-rules';
import { LISTED_CHANNELS } from '@cloudphone/notifications-subgraph/notifications/models/notification-kinds';
import { type OrderSummary, type OrderSummaryRow, defaultBalanceCurrency, orderSummary } from './floor-shapes.js';
import { type BenchPage, type PageDatabases, committedOperation, variableOf } from './page.js';

/** Devices the dashboard lists (`devices(first: 20)` in the operation). */
const DASHBOARD_DEVICES = 20;
/** Invoices it lists (`invoices(first: 12)`). */
const DASHBOARD_INVOICES = 12;
/** Orders it lists (`orders(first: 5)`). */
const DASHBOARD_ORDERS = 5;
/** Unread notifications it lists (`notifications(first: 5, unreadOnly: true)`). */
const DASHBOARD_NOTIFICATIONS = 5;
/** Owners of the most devices among which `variables` looks for the one whose dashboard shows every part. */
const CANDIDATE_OWNERS = 50;

/** One device of the dashboard, as the operation answers it. */
export interface DashboardDevice {
  id: string;
  name: string;
  status: string;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  applications: { status: string; application: { id: string; name: string; iconUrl: string | null } }[];
  usageTotals: { currency: string; records: number; runningMs: number; cost: string }[];
}

/** The dashboard's user, as the operation answers it. */
export interface DashboardUser {
  id: string;
  displayName: string;
  tenant: { name: string; maxDevices: number };
  quota: { maxDevices: number; maxRunningDevices: number; maxCpuCores: number; maxMemoryMb: number; maxStorageGb: number; status: string } | null;
  quotaUsage: { devices: number; runningDevices: number; cpuCores: number; memoryMb: number; storageGb: number };
  running: { totalCount: number };
  stopped: { totalCount: number };
  failed: { totalCount: number };
  devices: { totalCount: number; edges: { node: DashboardDevice }[] };
  balance: { amount: string; currency: string; updatedAt: string | null };
  invoices: { edges: { node: { id: string; period: string; status: string; totals: { total: string; charged: string; due: string } } }[] };
  orders: { edges: { node: OrderSummary }[] };
  unreadNotificationCount: number;
  notifications: { totalCount: number; edges: { node: { id: string; type: string; severity: string; title: string; body: string; createdAt: string } }[] };
}

export interface DashboardData {
  user: DashboardUser | null;
}

interface UserRow {
  id: string;
  display_name: string;
  tenant_name: string;
  tenant_max_devices: number;
  max_devices: number | null;
  max_running_devices: number | null;
  max_cpu_cores: number | null;
  max_memory_mb: number | null;
  max_storage_gb: number | null;
  quota_status: string | null;
}
/** A device of the first page, with the counts and sums over all the owner's devices beside it. */
interface DeviceRow {
  id: string;
  name: string;
  status: string;
  cpu_cores: number;
  memory_mb: number;
  storage_gb: number;
  total: number;
  running: number;
  stopped: number;
  failed: number;
  held: number;
  running_slots: number;
  held_cpu_cores: number;
  held_memory_mb: number;
  held_storage_gb: number;
}
interface InstallRow {
  device_id: string;
  status: string;
  application_id: string;
  name: string;
  icon_url: string | null;
}
interface UsageTotalRow {
  device_id: string;
  currency: string;
  records: number;
  running_ms: string;
  cost_minor: string;
}
interface BalanceRow {
  balance_minor: string;
  updated_at: Date;
}
/** An invoice of the page: its frozen totals once closed, else the sums its lines add up to. */
interface InvoiceRow {
  id: string;
  period_start: Date;
  status: string;
  currency: string;
  frozen: boolean;
  total_minor: string | null;
  charged_minor: string | null;
  due_minor: string | null;
  usage_cost_minor: string;
  usage_charged_minor: string;
  usage_unpaid_minor: string;
  orders_paid_minor: string;
}
type OrderRow = OrderSummaryRow;
interface NotificationRow {
  id: string;
  type: string;
  severity: string;
  title: string;
  body: string;
  created_at: Date;
  unread: number;
}


/** Minor units as the driver returns a bigint, checked by `formatMoney`. */
const money = (minor: string | number, currency: string) => formatMoney(Number(minor), currency);

/**
 * The same dashboard read straight from the five databases: first, at once,
 * the user with its tenant and quota (users), its first devices with the
 * per-status counts and the quota usage of all of them in one scan of the
 * owner's index (devices), its balance, invoices with their totals and last
 * orders (billing) and its unread notifications with their count
 * (notifications); then, for the devices listed, their applications (apps)
 * and usage totals (billing). Seven statements in two rounds.
 */
export async function readDashboardPage(databases: PageDatabases, userId: string): Promise<DashboardData> {
  const currency = defaultBalanceCurrency();
  const [users, devices, balances, invoices, orders, notifications] = await Promise.all([
    databases.users<UserRow[]>`
      select u.id, u.display_name, t.name as tenant_name, t.max_devices as tenant_max_devices,
        q.max_devices, q.max_running_devices, q.max_cpu_cores, q.max_memory_mb, q.max_storage_gb, q.status as quota_status
      from users u join tenants t on t.id = u.tenant_id left join user_quotas q on q.user_id = u.id
      where u.id = ${userId}::uuid`,
    // The window aggregates see every device of the owner; the limit applies after them.
    databases.devices<DeviceRow[]>`
      select id, name, status, cpu_cores, memory_mb, storage_gb,
        (count(*) over ())::int as total,
        (count(*) filter (where status = 'RUNNING') over ())::int as running,
        (count(*) filter (where status = 'STOPPED') over ())::int as stopped,
        (count(*) filter (where status = 'ERROR') over ())::int as failed,
        (count(*) filter (where status <> 'DELETED') over ())::int as held,
        (count(*) filter (where status::text = any(${[...RUNNING_SLOT_STATES]}::text[])) over ())::int as running_slots,
        (coalesce(sum(cpu_cores) filter (where status <> 'DELETED') over (), 0))::int as held_cpu_cores,
        (coalesce(sum(memory_mb) filter (where status <> 'DELETED') over (), 0))::int as held_memory_mb,
        (coalesce(sum(storage_gb) filter (where status <> 'DELETED') over (), 0))::int as held_storage_gb
      from devices
      where user_id = ${userId}::uuid
      order by created_at asc, id asc
      limit ${DASHBOARD_DEVICES}`,
    databases.billing<BalanceRow[]>`
      select balance_minor, updated_at from balances where user_id = ${userId}::uuid and currency = ${currency}`,
    // An open invoice adds up its lines: usage records on it, and the orders paid in its period (recharges only make `credited`).
    databases.billing<InvoiceRow[]>`
      select i.id, i.period_start, i.status, i.currency, i.frozen, i.total_minor, i.charged_minor, i.due_minor,
        u.cost_minor as usage_cost_minor, u.charged_minor as usage_charged_minor, u.unpaid_minor as usage_unpaid_minor, o.paid_minor as orders_paid_minor
      from (
        select id, user_id, period_start, period_end, status, currency, total_minor, charged_minor, due_minor,
          (status = 'CLOSED' and total_minor is not null and charged_minor is not null and due_minor is not null and credited_minor is not null) as frozen
        from invoices
        where user_id = ${userId}::uuid
        order by period_start desc, id desc
        limit ${DASHBOARD_INVOICES}
      ) i
      cross join lateral (
        select coalesce(sum(r.cost_minor), 0)::bigint as cost_minor, coalesce(sum(r.charged_minor), 0)::bigint as charged_minor, coalesce(sum(r.unpaid_minor), 0)::bigint as unpaid_minor
        from usage_records r
        where r.invoice_id = i.id and not i.frozen
      ) u
      cross join lateral (
        select coalesce(sum(p.amount_minor), 0)::bigint as paid_minor
        from orders p
        where p.user_id = i.user_id and p.currency = i.currency and p.status in ('PAID', 'REFUNDED') and p.paid_at >= i.period_start and p.paid_at < i.period_end and not i.frozen
      ) o
      order by i.period_start desc, i.id desc`,
    databases.billing<OrderRow[]>`
      select o.id, o.status, o.amount_minor, o.currency, o.created_at, p.name as plan_name
      from orders o join plans p on p.id = o.plan_id
      where o.user_id = ${userId}::uuid
      order by o.created_at desc, o.id desc
      limit ${DASHBOARD_ORDERS}`,
    // The count of every unread notification rides along the first page of them.
    databases.notifications<NotificationRow[]>`
      select id, type, severity, title, body, created_at, (count(*) over ())::int as unread
      from notifications
      where user_id = ${userId}::uuid and read_at is null and channel::text = any(${[...LISTED_CHANNELS]}::text[])
      order by created_at desc, id desc
      limit ${DASHBOARD_NOTIFICATIONS}`,
  ]);
  const user = users[0];
  if (user === undefined) return { user: null };

  const deviceIds = devices.map((device) => device.id);
  const [installs, usageTotals] =
    deviceIds.length === 0
      ? [[], []]
      : await Promise.all([
          databases.apps<InstallRow[]>`
            select da.device_id, da.status, a.id as application_id, a.name, a.icon_url
            from device_applications da join applications a on a.id = da.application_id
            where da.device_id = any(${deviceIds}::uuid[]) and da.status <> 'UNINSTALLED'
            order by da.device_id, da.requested_at, da.id`,
          databases.billing<UsageTotalRow[]>`
            select device_id, currency, count(*)::int as records, coalesce(sum(duration_ms), 0)::bigint as running_ms, coalesce(sum(cost_minor), 0)::bigint as cost_minor
            from usage_records
            where device_id = any(${deviceIds}::uuid[]) and ended_at is not null
            group by device_id, currency
            order by device_id, currency`,
        ]);
  const installsOf = groupBy(installs, (row) => row.device_id);
  const totalsOf = groupBy(usageTotals, (row) => row.device_id);

  const first = devices[0];
  const balance = balances[0];
  return {
    user: {
      id: user.id,
      displayName: user.display_name,
      tenant: { name: user.tenant_name, maxDevices: user.tenant_max_devices },
      quota:
        user.quota_status === null
          ? null
          : {
              maxDevices: Number(user.max_devices),
              maxRunningDevices: Number(user.max_running_devices),
              maxCpuCores: Number(user.max_cpu_cores),
              maxMemoryMb: Number(user.max_memory_mb),
              maxStorageGb: Number(user.max_storage_gb),
              status: user.quota_status,
            },
      quotaUsage: {
        devices: first?.held ?? 0,
        runningDevices: first?.running_slots ?? 0,
        cpuCores: first?.held_cpu_cores ?? 0,
        memoryMb: first?.held_memory_mb ?? 0,
        storageGb: first?.held_storage_gb ?? 0,
      },
      running: { totalCount: first?.running ?? 0 },
      stopped: { totalCount: first?.stopped ?? 0 },
      failed: { totalCount: first?.failed ?? 0 },
      devices: {
        totalCount: first?.total ?? 0,
        edges: devices.map((device) => ({
          node: {
            id: device.id,
            name: device.name,
            status: device.status,
            spec: { cpuCores: device.cpu_cores, memoryMb: device.memory_mb, storageGb: device.storage_gb },
            applications: (installsOf.get(device.id) ?? []).map((install) => ({
              status: install.status,
              application: { id: install.application_id, name: install.name, iconUrl: install.icon_url },
            })),
            usageTotals: (totalsOf.get(device.id) ?? []).map((total) => ({
              currency: total.currency,
              records: total.records,
              runningMs: Number(total.running_ms),
              cost: money(total.cost_minor, total.currency),
            })),
          } satisfies DashboardDevice,
        })),
      },
      balance: { amount: money(balance?.balance_minor ?? 0, currency), currency, updatedAt: balance?.updated_at.toISOString() ?? null },
      invoices: {
        edges: invoices.map((invoice) => {
          const paid = Number(invoice.orders_paid_minor);
          const total = invoice.frozen ? Number(invoice.total_minor) : Number(invoice.usage_cost_minor) + paid;
          const charged = invoice.frozen ? Number(invoice.charged_minor) : Number(invoice.usage_charged_minor) + paid;
          const due = invoice.frozen ? Number(invoice.due_minor) : Number(invoice.usage_unpaid_minor);
          return {
            node: {
              id: invoice.id,
              period: periodLabel(invoice.period_start),
              status: invoice.status,
              totals: { total: money(total, invoice.currency), charged: money(charged, invoice.currency), due: money(due, invoice.currency) },
            },
          };
        }),
      },
      orders: {
        edges: orders.map((order) => ({ node: orderSummary(order) })),
      },
      unreadNotificationCount: notifications[0]?.unread ?? 0,
      notifications: {
        totalCount: notifications[0]?.unread ?? 0,
        edges: notifications.map((notification) => ({
          node: {
            id: notification.id,
            type: notification.type,
            severity: notification.severity,
            title: notification.title,
            body: notification.body,
            createdAt: notification.created_at.toISOString(),
          },
        })),
      },
    },
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group === undefined) groups.set(key(row), [row]);
    else group.push(row);
  }
  return groups;
}

interface CandidateRow {
  user_id: string;
  devices: number;
  statuses: number;
  device_ids: string[];
}

/**
 * The owner of many devices whose dashboard shows the most of its parts:
 * among the owners of the most devices, the one with installs, closed usage,
 * invoices, orders, a balance and unread notifications (as many of them as
 * any has), then devices in more of RUNNING, STOPPED and ERROR, then the
 * most devices. Five statements, each by index once the owners are counted.
 */
async function chooseDashboardUser(databases: PageDatabases): Promise<string> {
  const candidates = await databases.devices<CandidateRow[]>`
    with top as (
      select user_id, count(*)::int as devices,
        ((count(*) filter (where status = 'RUNNING') > 0)::int + (count(*) filter (where status = 'STOPPED') > 0)::int + (count(*) filter (where status = 'ERROR') > 0)::int) as statuses
      from devices
      group by user_id
      order by count(*) desc, user_id
      limit ${CANDIDATE_OWNERS}
    )
    select t.user_id, t.devices, t.statuses,
      array(select d.id::text from devices d where d.user_id = t.user_id order by d.created_at, d.id limit ${DASHBOARD_DEVICES}) as device_ids
    from top t`;
  if (candidates.length === 0) throw new Error('the dashboard needs a user owning devices, and there are no devices');
  const userIds = candidates.map((candidate) => candidate.user_id);
  const deviceIds = candidates.flatMap((candidate) => candidate.device_ids);
  const [installed, metered, billed, unread] = await Promise.all([
    databases.apps<{ device_id: string }[]>`
      select distinct device_id from device_applications where device_id = any(${deviceIds}::uuid[]) and status <> 'UNINSTALLED'`,
    databases.billing<{ device_id: string }[]>`
      select distinct device_id from usage_records where device_id = any(${deviceIds}::uuid[]) and ended_at is not null`,
    databases.billing<{ user_id: string; parts: number }[]>`
      select u.id as user_id,
        (exists (select 1 from invoices i where i.user_id = u.id))::int
          + (exists (select 1 from orders o where o.user_id = u.id))::int
          + (exists (select 1 from balances b where b.user_id = u.id))::int as parts
      from unnest(${userIds}::uuid[]) as u(id)`,
    databases.notifications<{ user_id: string }[]>`
      select distinct user_id from notifications
      where user_id = any(${userIds}::uuid[]) and read_at is null and channel::text = any(${[...LISTED_CHANNELS]}::text[])`,
  ]);
  const withInstalls = new Set(installed.map((row) => row.device_id));
  const withUsage = new Set(metered.map((row) => row.device_id));
  const billingParts = new Map(billed.map((row) => [row.user_id, row.parts]));
  const withUnread = new Set(unread.map((row) => row.user_id));
  const parts = (candidate: CandidateRow) =>
    Number(candidate.device_ids.some((id) => withInstalls.has(id))) +
    Number(candidate.device_ids.some((id) => withUsage.has(id))) +
    (billingParts.get(candidate.user_id) ?? 0) +
    Number(withUnread.has(candidate.user_id));
  const [best] = [...candidates].sort(
    (a, b) => parts(b) - parts(a) || b.statuses - a.statuses || b.devices - a.devices || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0),
  );
  if (best === undefined) throw new Error('no dashboard user');
  return best.user_id;
}

export const dashboardPage: BenchPage = {
  name: 'dashboard',
  title: 'user dashboard',
  description:
    "`user(id)` with its tenant, quota and quota usage, its device counts per status, its first 20 devices with their spec, applications and usage totals, its balance, last 12 invoices with their totals, last 5 orders with their plan, and its unread notification count and first 5 unread: the users, devices, apps, billing and notifications subgraphs. The largest page: open invoices add up their lines on every read.",
  query: () => committedOperation('user-dashboard.graphql'),
  variables: async (databases) => ({ userId: await chooseDashboardUser(databases) }),
  readFloor: (databases, variables) => readDashboardPage(databases, variableOf(variables, 'userId', 'string')),
};
