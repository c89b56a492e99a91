import { formatMoney } from '@cloudphone/billing-subgraph/money/money';
import { loadScore } from '@cloudphone/scheduler-subgraph/placement/strategies';
import { type OrderSummary, type OrderSummaryRow, orderSummary } from './floor-shapes.js';
import { type BenchPage, type PageDatabases, committedOperation, variableOf } from './page.js';

/** Usage records and orders the committed operation asks for (`usage(first: 20)`, `orders(first: 10)`). */
const USAGE_PAGE = 20;
const ORDER_PAGE = 10;

/** Newest orders and closed usage records looked at when choosing the device: a bounded sample, cheap on the large seed. */
const CANDIDATE_SAMPLE = 500;

/** The device detail page as schema/operations/device-detail.graphql answers it. */
export interface DeviceDetailData {
  device: DeviceDetail | null;
}

export interface DeviceDetail {
  id: string;
  name: string;
  status: string;
  statusLabel: string;
  statusChangedAt: string;
  provider: string;
  androidVersion: string;
  adbEndpoint: string | null;
  healthScore: number;
  lastHeartbeatAt: string | null;
  expiresAt: string | null;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  user: { id: string; displayName: string; email: string };
  node: {
    id: string;
    name: string;
    status: string;
    region: string;
    zone: string;
    capacity: { cpuCores: number; memoryMb: number; deviceSlots: number };
    resources: { deviceSlots: { capacity: number; allocated: number; free: number }; cpuCores: { allocated: number }; loadScore: number } | null;
  } | null;
  allocation: {
    id: string;
    status: string;
    strategy: string;
    allocatedAt: string;
    resources: { cpuCores: number; memoryMb: number; storageGb: number };
    node: { id: string; name: string };
  } | null;
  applications: {
    id: string;
    status: string;
    error: string | null;
    requestedAt: string;
    installedAt: string | null;
    application: { id: string; name: string; packageName: string; versionName: string; sizeBytes: number };
  }[];
  usage: { totalCount: number; edges: { node: { id: string; startedAt: string; endedAt: string | null; durationMs: number | null; cost: string | null } }[] };
  usageTotals: { currency: string; records: number; runningMs: number; cost: string }[];
  orders: { totalCount: number; edges: { node: OrderSummary }[] };
}

interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  status: string;
  status_changed_at: Date;
  provider: string;
  android_version: string;
  adb_host: string | null;
  adb_port: number | null;
  health_score: number;
  last_heartbeat_at: Date | null;
  expires_at: Date | null;
  cpu_cores: number;
  memory_mb: number;
  storage_gb: number;
  node_id: string | null;
  node_name: string | null;
  node_status: string | null;
  node_region: string | null;
  node_zone: string | null;
  node_cpu_capacity: number | null;
  node_memory_mb_capacity: number | null;
  node_device_slots: number | null;
}
interface OwnerRow {
  id: string;
  display_name: string;
  email: string;
  status_label: string | null;
}
interface NodeResourcesRow {
  cpu_capacity: number;
  memory_mb_capacity: number;
  storage_gb_capacity: number;
  device_slots: number;
  cpu_allocated: number;
  memory_mb_allocated: number;
  storage_gb_allocated: number;
  devices_allocated: number;
}
interface AllocationRow {
  id: string;
  status: string;
  strategy: string;
  allocated_at: Date;
  cpu_cores: number;
  memory_mb: number;
  storage_gb: number;
  node_id: string;
  node_name: string;
}
interface InstallRow {
  id: string;
  status: string;
  error: string | null;
  requested_at: Date;
  installed_at: Date | null;
  application_id: string;
  name: string;
  package_name: string;
  version_name: string;
  size_bytes: string;
}
interface UsageRow {
  id: string;
  started_at: Date;
  ended_at: Date | null;
  duration_ms: string | null;
  cost_minor: string | null;
  currency: string;
  total: number;
}
interface UsageTotalRow {
  currency: string;
  records: number;
  running_ms: string;
  cost_minor: string;
}
interface OrderRow extends OrderSummaryRow {
  total: number;
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/**
 * The device's own row (with its node) and, once its owner, status and node
 * are known, the owner with the status label and the node's resources; the
 * installs, usage, orders and allocation, which need only the device id, at
 * the same time as the device. Eight statements over five databases, in two
 * rounds at most: the floor the gateway is measured against.
 */
export async function readDeviceDetailPage(databases: PageDatabases, deviceId: string): Promise<DeviceDetailData> {
  const device = databases.devices<DeviceRow[]>`
    select d.id, d.user_id, d.name, d.status, d.status_changed_at, d.provider, d.android_version, d.adb_host, d.adb_port,
      d.health_score, d.last_heartbeat_at, d.expires_at, d.cpu_cores, d.memory_mb, d.storage_gb, d.node_id,
      n.name as node_name, n.status as node_status, n.region as node_region, n.zone as node_zone,
      n.cpu_capacity as node_cpu_capacity, n.memory_mb_capacity as node_memory_mb_capacity, n.device_slots as node_device_slots
    from devices d left join nodes n on n.id = d.node_id
    where d.id = ${deviceId}`.then(([row]) => row);
  // What needs the device row: its owner (with the label of its status, same database) and its node's resources.
  const dependent = device.then(async (row) => {
    if (row === undefined) return undefined;
    const [owners, resources] = await Promise.all([
      databases.users<OwnerRow[]>`
        select u.id, u.display_name, u.email,
          (select e.label from dictionary_entries e where e.type = 'DEVICE_STATUS' and e.code = ${row.status}) as status_label
        from users u
        where u.id = ${row.user_id}`,
      row.node_id === null
        ? Promise.resolve([])
        : databases.scheduler<NodeResourcesRow[]>`
            select cpu_capacity, memory_mb_capacity, storage_gb_capacity, device_slots, cpu_allocated, memory_mb_allocated, storage_gb_allocated, devices_allocated
            from node_resources
            where node_id = ${row.node_id}`,
    ]);
    return { owner: owners[0], resources: resources[0] };
  });
  const [row, related, allocations, installs, usage, totals, orders] = await Promise.all([
    device,
    dependent,
    databases.scheduler<AllocationRow[]>`
      select a.id, a.status, a.strategy, a.allocated_at, a.cpu_cores, a.memory_mb, a.storage_gb, a.node_id, r.name as node_name
      from allocations a join node_resources r on r.node_id = a.node_id
      where a.device_id = ${deviceId}
      order by a.allocated_at desc, a.id desc
      limit 1`,
    databases.apps<InstallRow[]>`
      select i.id, i.status, i.error, i.requested_at, i.installed_at, a.id as application_id, a.name, a.package_name, a.version_name, a.size_bytes
      from device_applications i join applications a on a.id = i.application_id
      where i.device_id = ${deviceId} and i.status <> 'UNINSTALLED'
      order by i.requested_at asc, i.id asc`,
    databases.billing<UsageRow[]>`
      select id, started_at, ended_at, duration_ms, cost_minor, currency, (count(*) over ())::int as total
      from usage_records
      where device_id = ${deviceId}
      order by started_at desc, id desc
      limit ${USAGE_PAGE}`,
    databases.billing<UsageTotalRow[]>`
      select currency, count(*)::int as records, coalesce(sum(duration_ms), 0)::bigint as running_ms, coalesce(sum(cost_minor), 0)::bigint as cost_minor
      from usage_records
      where device_id = ${deviceId} and ended_at is not null
      group by currency
      order by currency`,
    databases.billing<OrderRow[]>`
      select o.id, o.status, o.amount_minor, o.currency, o.created_at, p.name as plan_name, (count(*) over ())::int as total
      from orders o join plans p on p.id = o.plan_id
      where o.device_id = ${deviceId}
      order by o.created_at desc, o.id desc
      limit ${ORDER_PAGE}`,
  ]);
  if (row === undefined || related === undefined) return { device: null };
  const { owner, resources } = related;
  if (owner === undefined) throw new Error(`device ${row.id}: owner ${row.user_id} is not in the users database`);
  const allocation = allocations[0];
  return {
    device: {
      id: row.id,
      name: row.name,
      status: row.status,
      statusLabel: owner.status_label ?? row.status,
      statusChangedAt: row.status_changed_at.toISOString(),
      provider: row.provider,
      androidVersion: row.android_version,
      adbEndpoint: row.adb_host !== null && row.adb_port !== null ? `${row.adb_host}:${row.adb_port}` : null,
      healthScore: row.health_score,
      lastHeartbeatAt: iso(row.last_heartbeat_at),
      expiresAt: iso(row.expires_at),
      spec: { cpuCores: row.cpu_cores, memoryMb: row.memory_mb, storageGb: row.storage_gb },
      user: { id: owner.id, displayName: owner.display_name, email: owner.email },
      node: row.node_id === null ? null : nodeOf(row, row.node_id, resources),
      allocation:
        allocation === undefined
          ? null
          : {
              id: allocation.id,
              status: allocation.status,
              strategy: allocation.strategy,
              allocatedAt: allocation.allocated_at.toISOString(),
              resources: { cpuCores: allocation.cpu_cores, memoryMb: allocation.memory_mb, storageGb: allocation.storage_gb },
              node: { id: allocation.node_id, name: allocation.node_name },
            },
      applications: installs.map((install) => ({
        id: install.id,
        status: install.status,
        error: install.error,
        requestedAt: install.requested_at.toISOString(),
        installedAt: iso(install.installed_at),
        application: { id: install.application_id, name: install.name, packageName: install.package_name, versionName: install.version_name, sizeBytes: Number(install.size_bytes) },
      })),
      usage: {
        totalCount: usage[0]?.total ?? 0,
        edges: usage.map((record) => ({
          node: {
            id: record.id,
            startedAt: record.started_at.toISOString(),
            endedAt: iso(record.ended_at),
            durationMs: record.duration_ms === null ? null : Number(record.duration_ms),
            cost: record.cost_minor === null ? null : formatMoney(Number(record.cost_minor), record.currency),
          },
        })),
      },
      usageTotals: totals.map((total) => ({
        currency: total.currency,
        records: total.records,
        runningMs: Number(total.running_ms),
        cost: formatMoney(Number(total.cost_minor), total.currency),
      })),
      orders: {
        totalCount: orders[0]?.total ?? 0,
        edges: orders.map((order) => ({ node: orderSummary(order) })),
      },
    },
  };
}

/** The device's node from the devices database, with what the scheduler says its allocations hold (null until the scheduler has heard of it). */
function nodeOf(row: DeviceRow, nodeId: string, resources: NodeResourcesRow | undefined): NonNullable<DeviceDetail['node']> {
  if (row.node_name === null || row.node_status === null || row.node_region === null || row.node_zone === null || row.node_cpu_capacity === null || row.node_memory_mb_capacity === null || row.node_device_slots === null) {
    throw new Error(`device ${row.id}: node ${nodeId} is not in the devices database`);
  }
  return {
    id: nodeId,
    name: row.node_name,
    status: row.node_status,
    region: row.node_region,
    zone: row.node_zone,
    capacity: { cpuCores: row.node_cpu_capacity, memoryMb: row.node_memory_mb_capacity, deviceSlots: row.node_device_slots },
    resources:
      resources === undefined
        ? null
        : {
            deviceSlots: { capacity: resources.device_slots, allocated: resources.devices_allocated, free: resources.device_slots - resources.devices_allocated },
            cpuCores: { allocated: resources.cpu_allocated },
            loadScore: loadScore({
              capacity: { cpuCores: resources.cpu_capacity, memoryMb: resources.memory_mb_capacity, storageGb: resources.storage_gb_capacity, deviceSlots: resources.device_slots },
              allocated: { cpuCores: resources.cpu_allocated, memoryMb: resources.memory_mb_allocated, storageGb: resources.storage_gb_allocated, devices: resources.devices_allocated },
            }),
          },
  };
}

interface BillingCandidateRow {
  device_id: string;
  has_orders: boolean;
  has_usage: boolean;
  has_closed_usage: boolean;
}
interface InstallCountRow {
  device_id: string;
  installs: number;
}
interface PlacedDeviceRow {
  id: string;
  status: string;
  placed: boolean;
}

/**
 * The device whose page shows the most: among the devices of the newest
 * orders and of some closed usage records (bounded samples, by index), one
 * with closed usage, orders and installs, placed on a node and RUNNING (so it
 * has an ADB endpoint and heartbeats), preferring more installs. Where the
 * data has no usage (the seeds write none), the rest still holds.
 */
export async function chooseDetailDevice(databases: PageDatabases): Promise<string> {
  const billing = await databases.billing<BillingCandidateRow[]>`
    with candidates as (
      select device_id from (select device_id from orders where device_id is not null order by created_at desc, id desc limit ${CANDIDATE_SAMPLE}) newest
      union
      select device_id from (select device_id from usage_records where ended_at is not null limit ${CANDIDATE_SAMPLE}) closed
    )
    select c.device_id,
      exists (select 1 from orders o where o.device_id = c.device_id) as has_orders,
      exists (select 1 from usage_records u where u.device_id = c.device_id) as has_usage,
      exists (select 1 from usage_records u where u.device_id = c.device_id and u.ended_at is not null) as has_closed_usage
    from candidates c`;
  const ids = billing.map((row) => row.device_id);
  const [installs, placed] = await Promise.all([
    databases.apps<InstallCountRow[]>`
      select device_id, count(*)::int as installs
      from device_applications
      where device_id = any(${ids}::uuid[]) and status <> 'UNINSTALLED'
      group by device_id`,
    databases.devices<PlacedDeviceRow[]>`
      select id, status, node_id is not null as placed
      from devices
      where id = any(${ids}::uuid[])`,
  ]);
  const installsOf = new Map(installs.map((row) => [row.device_id, row.installs]));
  const billingOf = new Map(billing.map((row) => [row.device_id, row]));
  const score = (device: PlacedDeviceRow): number[] => {
    const money = billingOf.get(device.id);
    const installed = installsOf.get(device.id) ?? 0;
    const flags = [money?.has_closed_usage, money?.has_usage, money?.has_orders, installed > 0, device.placed, device.status === 'RUNNING'];
    return [...flags.map((flag) => (flag === true ? 1 : 0)), installed];
  };
  const better = (a: PlacedDeviceRow, b: PlacedDeviceRow): number => {
    const [left, right] = [score(a), score(b)];
    const differs = left.findIndex((value, index) => value !== right[index]);
    return differs === -1 ? a.id.localeCompare(b.id) : (right[differs] ?? 0) - (left[differs] ?? 0);
  };
  const best = [...placed].sort(better)[0];
  if (best === undefined) throw new Error('no device with orders or usage records to show on the device detail page');
  return best.id;
}

export const deviceDetailPage: BenchPage = {
  name: 'device-detail',
  title: 'device detail',
  description:
    "`device(id)` (schema/operations/device-detail.graphql) with its status label, spec, ADB endpoint and health, its owner, its node with capacity and the scheduler's resources and load score, its latest allocation, its installs with their applications, a page of usage records with totals per currency and a page of orders with their plans: the devices, users, scheduler, apps and billing subgraphs. The device is one with installs, usage records (where the data has any) and orders. Its live status over graphql-ws is measured by the subscriptions benchmark.",
  query: () => committedOperation('device-detail.graphql'),
  variables: async (databases) => ({ deviceId: await chooseDetailDevice(databases) }),
  readFloor: (databases, variables) => readDeviceDetailPage(databases, variableOf(variables, 'deviceId', 'string')),
};
