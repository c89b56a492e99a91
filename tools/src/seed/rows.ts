import type { AppsSeed } from '@cloudphone/apps-subgraph';
import type { BillingSeed } from '@cloudphone/billing-subgraph';
import type { DevicesSeed } from '@cloudphone/devices-subgraph';
import type { NotificationsSeed } from '@cloudphone/notifications-subgraph';
import type { SchedulerSeed } from '@cloudphone/scheduler-subgraph';
// The placement rule alone (no NestJS module graph): seeded devices are placed as the scheduler would place them.
import { fits } from '@cloudphone/scheduler-subgraph/placement/strategies';
import type { SeededRandom } from './random.js';
import {
  APP_CATALOG,
  type DeviceStatus,
  INSTALL_STATUS_WEIGHTS,
  type OrderStatus,
  PLAN_PRESETS,
  TEMPLATE_PRESETS,
  USER_STATUS_WEIGHTS,
  type Weights,
  FIRST_NAMES,
  LAST_NAMES,
  TENANT_NAMES,
} from './vocabulary.js';

// Row builders shared by the demo dataset and the bulk scales. Each draws from `random` in a fixed
// order (the demo's rows depend on it); a `() => Date` argument is drawn at its place in that order.

export const MINUTE = 60_000;
/** When the demo's history starts; the bulk scales' history ends here. */
export const EPOCH = Date.UTC(2026, 0, 1);

export type Clock = () => Date;

export function tenantRow(random: SeededRandom, index: number, createdAt: Date) {
  const name = TENANT_NAMES[index] ?? `Tenant ${index + 1}`;
  return { id: random.uuid(), name, status: 'ACTIVE' as const, maxUsers: 100_000, maxDevices: 1_000_000, createdAt, updatedAt: createdAt };
}
export type TenantRow = ReturnType<typeof tenantRow>;

export function userRow(random: SeededRandom, index: number, tenant: TenantRow, clock: Clock) {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const username = `${first}.${last}${index + 1}`.toLowerCase();
  const createdAt = clock();
  // The tenant's name as a domain, digits kept: tenants past the named ones are numbered.
  return {
    id: random.uuid(),
    tenantId: tenant.id,
    username,
    email: `${username}@${tenant.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
    displayName: `${first} ${last}`,
    status: random.weighted(USER_STATUS_WEIGHTS),
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
}
export type UserRow = ReturnType<typeof userRow>;

export interface NodePlace {
  region: string;
  zone: string;
}

/** A host; `heartbeatAt` is when it last called in (seeded nodes start ONLINE and fresh). */
export function nodeRow(random: SeededRandom, index: number, place: NodePlace, heartbeatAt: Date, createdAt: Date) {
  return {
    id: random.uuid(),
    name: `node-${String(index + 1).padStart(2, '0')}`,
    status: 'ONLINE' as const,
    region: place.region,
    zone: place.zone,
    labels: { gpu: index % 2 === 0 ? 'true' : 'false', arch: 'x86_64' },
    cpuCapacity: 256,
    memoryMbCapacity: 1_048_576,
    storageGbCapacity: 8192,
    deviceSlots: 100,
    lastHeartbeatAt: heartbeatAt,
    createdAt,
    updatedAt: createdAt,
  };
}
export type NodeRow = ReturnType<typeof nodeRow>;

/** Enough hosts for `devices` phones: four at least, one more per 50 devices. */
export function nodeCount(devices: number): number {
  return Math.max(4, Math.ceil(devices / 50));
}

export function templateRows(random: SeededRandom, clock: Clock) {
  return TEMPLATE_PRESETS.map((template) => {
    const createdAt = clock();
    return { id: random.uuid(), description: `${template.name} preset`, ...template, createdAt, updatedAt: createdAt };
  });
}
export type TemplateRow = ReturnType<typeof templateRows>[number];

interface Spec {
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
}

/** What each node's live devices hold, so seeded data never overbooks a node (the scheduler's checks would refuse it). */
export class Placement {
  private readonly held: Map<string, { cpuCores: number; memoryMb: number; storageGb: number; devices: number }>;
  private readonly positions: Map<string, number>;

  constructor(private readonly nodes: readonly NodeRow[]) {
    this.held = new Map(nodes.map((node) => [node.id, { cpuCores: 0, memoryMb: 0, storageGb: 0, devices: 0 }]));
    this.positions = new Map(nodes.map((node, index) => [node.id, index]));
  }

  /** The preferred node if the device fits, else the next one round the ring that has room. */
  place(preferred: NodeRow, spec: Spec): NodeRow {
    const start = this.positions.get(preferred.id) ?? -1;
    for (let step = 0; step < this.nodes.length; step += 1) {
      const node = this.nodes[(start + step) % this.nodes.length];
      const usage = node && this.held.get(node.id);
      if (!node || !usage) continue;
      const capacity = { cpuCores: node.cpuCapacity, memoryMb: node.memoryMbCapacity, storageGb: node.storageGbCapacity, deviceSlots: node.deviceSlots };
      if (!fits({ capacity, allocated: usage }, spec)) continue;
      usage.cpuCores += spec.cpuCores;
      usage.memoryMb += spec.memoryMb;
      usage.storageGb += spec.storageGb;
      usage.devices += 1;
      return node;
    }
    throw new Error('the dataset has more devices than its nodes hold');
  }

  usage(nodeId: string) {
    return this.held.get(nodeId);
  }
}

export interface DeviceContext {
  templates: readonly TemplateRow[];
  nodes: readonly NodeRow[];
  placement: Placement;
  statusWeights: Weights<DeviceStatus>;
}

export function deviceRow(random: SeededRandom, index: number, owner: UserRow, context: DeviceContext, clock: Clock) {
  const template = random.pick(context.templates);
  const status = random.weighted(context.statusWeights);
  const drawn = status === 'CREATING' ? undefined : random.pick(context.nodes);
  // A deleted device no longer holds its node's capacity.
  const node = drawn && status !== 'DELETED' ? context.placement.place(drawn, template) : drawn;
  const createdAt = clock();
  return {
    id: random.uuid(),
    userId: owner.id,
    tenantId: owner.tenantId,
    ownerName: owner.displayName,
    ownerEmail: owner.email,
    ownerVersion: owner.version,
    name: `phone-${String(index + 1).padStart(3, '0')}`,
    provider: template.provider,
    cpuCores: template.cpuCores,
    memoryMb: template.memoryMb,
    storageGb: template.storageGb,
    androidVersion: template.androidVersion,
    templateId: template.id,
    nodeId: node?.id ?? null,
    adbHost: status === 'RUNNING' && node ? `${node.name}.internal` : null,
    adbPort: status === 'RUNNING' ? 5555 + (index % 60_000) : null,
    healthScore: status === 'ERROR' ? random.int(0, 40) : random.int(80, 100),
    lastHeartbeatAt: status === 'RUNNING' ? createdAt : null,
    status,
    statusChangedAt: createdAt,
    createdAt,
    updatedAt: createdAt,
  } satisfies DevicesSeed['devices'][number];
}
export type DeviceRow = ReturnType<typeof deviceRow>;

const CATEGORIES = [...new Set(APP_CATALOG.map(([, , category]) => category))];

/** The `index`-th application of the store: the catalogue's, then generated ones beyond it. */
export function catalogEntry(index: number): readonly [string, string, string] {
  return APP_CATALOG[index] ?? [`com.example.app${index + 1}`, `App ${index + 1}`, CATEGORIES[index % CATEGORIES.length] ?? 'TOOLS'];
}

export function applicationRow(random: SeededRandom, entry: readonly [string, string, string], available: boolean, createdAt: Date) {
  const [packageName, name, category] = entry;
  return {
    id: random.uuid(),
    packageName,
    name,
    versionName: `${random.int(1, 30)}.${random.int(0, 20)}.${random.int(0, 99)}`,
    versionCode: random.int(100, 99_999),
    sizeBytes: random.int(5, 400) * 1_048_576 + random.int(0, 1_048_575),
    category,
    iconUrl: `https://cdn.example.com/icons/${packageName}.png`,
    status: available ? ('AVAILABLE' as const) : ('PENDING_REVIEW' as const),
    createdAt,
    updatedAt: createdAt,
  } satisfies AppsSeed['applications'][number];
}
export type ApplicationRow = ReturnType<typeof applicationRow>;

/** `count` distinct applications installed on `device`, each requested at `clock()`. */
export function installRows(random: SeededRandom, device: DeviceRow, installable: readonly ApplicationRow[], count: number, clock: Clock) {
  return random.sample(installable, count).map((application) => {
    const requestedAt = clock();
    const status = random.weighted(INSTALL_STATUS_WEIGHTS);
    return {
      id: random.uuid(),
      deviceId: device.id,
      applicationId: application.id,
      userId: device.userId,
      tenantId: device.tenantId,
      status,
      error: status === 'FAILED' ? 'INSTALL_FAILED_INSUFFICIENT_STORAGE' : null,
      requestedAt,
      installedAt: status === 'INSTALLED' ? new Date(requestedAt.getTime() + 30_000) : null,
      updatedAt: requestedAt,
    } satisfies AppsSeed['installs'][number];
  });
}
export type InstallRow = ReturnType<typeof installRows>[number];

export function planRows(random: SeededRandom, clock: Clock) {
  return PLAN_PRESETS.map((plan) => {
    const createdAt = clock();
    return { id: random.uuid(), currency: 'USD', periodDays: 30, active: true, ...plan, createdAt, updatedAt: createdAt };
  });
}
export type PlanRow = ReturnType<typeof planRows>[number];

/** An order of `user` for one of the paid plans, for one of `owned` (the user's devices) seven times in ten. */
export function orderRow(random: SeededRandom, user: UserRow, paidPlans: readonly PlanRow[], owned: readonly DeviceRow[], statusWeights: Weights<OrderStatus>, clock: Clock) {
  const plan = random.pick(paidPlans);
  const device = owned.length > 0 && random.next() < 0.7 ? random.pick(owned) : undefined;
  const status = random.weighted(statusWeights);
  const createdAt = clock();
  return {
    id: random.uuid(),
    userId: user.id,
    tenantId: user.tenantId,
    deviceId: device?.id ?? null,
    planId: plan.id,
    amountMinor: plan.priceMinor,
    currency: plan.currency,
    status,
    userName: user.displayName,
    userEmail: user.email,
    userVersion: user.version,
    deviceName: device?.name ?? null,
    deviceVersion: device ? 1 : null,
    createdAt,
    updatedAt: createdAt,
    paidAt: status === 'PAID' || status === 'REFUNDED' ? new Date(createdAt.getTime() + 2 * MINUTE) : null,
    expiresAt: new Date(createdAt.getTime() + 15 * MINUTE),
  } satisfies BillingSeed['orders'][number];
}
export type OrderRow = ReturnType<typeof orderRow>;

type NoticeType = 'WELCOME' | 'DEVICE_ERROR' | 'INSTALL_FAILED' | 'ORDER_PAID';

/** An in-app notice of what a row says happened, read within the hour six times in ten. */
function notice(random: SeededRandom, owner: { userId: string; tenantId: string }, createdAt: Date, type: NoticeType, title: string, body: string) {
  return {
    id: random.uuid(),
    userId: owner.userId,
    tenantId: owner.tenantId,
    type,
    channel: 'IN_APP' as const,
    severity: type === 'DEVICE_ERROR' ? ('CRITICAL' as const) : type === 'INSTALL_FAILED' ? ('WARNING' as const) : ('INFO' as const),
    title,
    body,
    data: {},
    deliveredAt: createdAt,
    readAt: random.next() < 0.6 ? new Date(createdAt.getTime() + 3_600_000) : null,
    createdAt,
  } satisfies NotificationsSeed['notifications'][number];
}

export const notices = {
  welcome: (random: SeededRandom, user: UserRow) =>
    notice(random, { userId: user.id, tenantId: user.tenantId }, user.createdAt, 'WELCOME', `Welcome, ${user.displayName}!`, 'Your cloud phone account is ready.'),
  deviceError: (random: SeededRandom, device: DeviceRow) => notice(random, device, device.createdAt, 'DEVICE_ERROR', `${device.name} needs attention`, `Device ${device.name} stopped with an error.`),
  installFailed: (random: SeededRandom, install: InstallRow) =>
    notice(random, install, install.requestedAt, 'INSTALL_FAILED', 'An install failed', `An application could not be installed: ${install.error ?? 'unknown error'}.`),
  orderPaid: (random: SeededRandom, order: OrderRow) => notice(random, order, order.paidAt ?? order.createdAt, 'ORDER_PAID', 'Payment received', `Thank you: order ${order.id.slice(0, 8)} is paid.`),
};

/** The notices of a set of rows: failed devices, failed installs and paid orders. */
export function noticesOf(random: SeededRandom, devices: readonly DeviceRow[], installs: readonly InstallRow[], orders: readonly OrderRow[]) {
  return [
    ...devices.filter((device) => device.status === 'ERROR').map((device) => notices.deviceError(random, device)),
    ...installs.filter((install) => install.status === 'FAILED').map((install) => notices.installFailed(random, install)),
    ...orders.filter((order) => order.status === 'PAID' && order.paidAt).map((order) => notices.orderPaid(random, order)),
  ];
}

/** The scheduler's copy of a node with what its live devices hold (`usage`; none: nothing yet). */
export function schedulerNodeRow(node: NodeRow, usage: { cpuCores: number; memoryMb: number; storageGb: number; devices: number } | undefined) {
  return {
    nodeId: node.id,
    name: node.name,
    status: node.status,
    region: node.region,
    zone: node.zone,
    labels: node.labels,
    cpuCapacity: node.cpuCapacity,
    memoryMbCapacity: node.memoryMbCapacity,
    storageGbCapacity: node.storageGbCapacity,
    deviceSlots: node.deviceSlots,
    cpuAllocated: usage?.cpuCores ?? 0,
    memoryMbAllocated: usage?.memoryMb ?? 0,
    storageGbAllocated: usage?.storageGb ?? 0,
    devicesAllocated: usage?.devices ?? 0,
    sourceVersion: 1,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  } satisfies SchedulerSeed['nodes'][number];
}

/** A placed device's claim, as the scheduler made it: live, or released for a deleted device. */
export function allocationRows(random: SeededRandom, devices: readonly DeviceRow[]) {
  return devices.flatMap((device) =>
    device.nodeId === null
      ? []
      : [
          {
            id: random.uuid(),
            deviceId: device.id,
            nodeId: device.nodeId,
            userId: device.userId,
            tenantId: device.tenantId,
            strategy: 'WEIGHTED' as const,
            cpuCores: device.cpuCores,
            memoryMb: device.memoryMb,
            storageGb: device.storageGb,
            status: device.status === 'DELETED' ? ('RELEASED' as const) : ('ALLOCATED' as const),
            allocatedAt: device.createdAt,
            confirmedAt: device.createdAt,
            releasedAt: device.status === 'DELETED' ? device.updatedAt : null,
            releaseReason: device.status === 'DELETED' ? 'device deleted' : null,
          } satisfies SchedulerSeed['allocations'][number],
        ],
  );
}

/**
 * Hourly prices: one per template spec (a cent per core-ish, more for the
 * high-end Huawei phone) and a default per provider for any other spec.
 * Minor units of USD.
 */
export function billingRuleRows(templates: readonly { provider: string; cpuCores: number; memoryMb: number; storageGb: number }[], createdAt: Date) {
  const perSpec = templates.map((template) => ({
    provider: template.provider,
    cpuCores: template.cpuCores,
    memoryMb: template.memoryMb,
    storageGb: template.storageGb,
    pricePerHourMinor: template.provider === 'HUAWEI_CPH' ? 45 : 4 + 3 * template.cpuCores,
  }));
  const defaults = [
    { provider: 'REDROID', pricePerHourMinor: 12 },
    { provider: 'PHYSICAL', pricePerHourMinor: 30 },
    { provider: 'HUAWEI_CPH', pricePerHourMinor: 40 },
    { provider: 'ALIYUN_ECP', pricePerHourMinor: 25 },
  ].map((rule) => ({ ...rule, cpuCores: null, memoryMb: null, storageGb: null }));
  return [...perSpec, ...defaults].map((rule) => ({ ...rule, currency: 'USD', createdAt, updatedAt: createdAt }));
}
