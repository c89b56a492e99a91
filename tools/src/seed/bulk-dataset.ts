import type { UsersSeed } from '@cloudphone/users-subgraph';
import type { QuotaDefaults } from '@cloudphone/users-subgraph/config';
import { DEMO_ADMIN, type DatasetSize, type DemoDataset, demoAdminRow } from './dataset.js';
import { SeededRandom } from './random.js';
import * as seedRows from './rows.js';
import { type DeviceRow, EPOCH, MINUTE, type UserRow } from './rows.js';
import { DEVICE_STATUS_WEIGHTS, ORDER_STATUS_WEIGHTS, type Weights, settled } from './vocabulary.js';

/** Part of every subgraph's seed: the shared rows, or the rows of one chunk of users. */
export type DatasetChunk = { [K in keyof DemoDataset]?: Partial<DemoDataset[K]> };

export interface GeneratedChunk {
  rows: DatasetChunk;
  /** Users generated so far (progress). */
  usersDone: number;
}

/** The bulk scales of `npm run seed` (`demo` is the demo dataset itself). */
export const BULK_SCALES = {
  small: { tenants: 3, users: 300, devices: 900, applications: 30, orders: 3_000 },
  large: { tenants: 100, users: 100_000, devices: 300_000, applications: 100, orders: 1_000_000 },
} as const satisfies Record<string, DatasetSize>;

export interface BulkDatasetOptions {
  seed: number;
  /** When the nodes last called in (they start ONLINE). */
  heartbeatAt: Date;
  /** The quota every user gets unless it holds more: such users get a raised one. */
  quotaDefaults: QuotaDefaults;
  /** Users per chunk (default 1,000). */
  chunkUsers?: number;
}

const DAY = 24 * 60 * MINUTE;
/** Two years of history ending where the demo's starts. */
const HISTORY_START = EPOCH - 730 * DAY;

/** The demo's weights without CREATING (two years on, no device is still being created). */
const DEVICE_WEIGHTS = settled(DEVICE_STATUS_WEIGHTS, ['CREATING']);
/** Nor is any order still waiting for payment: those have expired, cancelled, like the weights' CANCELLED. */
const ORDER_WEIGHTS = settled(ORDER_STATUS_WEIGHTS, ['PENDING']);
const REGIONS = ['eu-west', 'us-east', 'ap-east'];

/**
 * A large, plausible dataset, generated a chunk of users at a time from one
 * seed (the same seed and size give the same rows), so no more than a chunk
 * is ever in memory. The first chunk holds the shared rows (tenants, nodes,
 * templates, applications, plans, prices), each later one a chunk of users
 * with their devices, installs, orders, notifications and allocations; the
 * demo administrator comes last. Totals are exact (`size`); per user they
 * are skewed: most users hold 1 to 3 devices, some none, a few dozens, and
 * orders follow devices. Rows are spread over two years of history, users
 * growing towards the end.
 */
export function* bulkDataset(size: DatasetSize, options: BulkDatasetOptions): Generator<GeneratedChunk> {
  const random = new SeededRandom(options.seed);
  const span = EPOCH - HISTORY_START;
  const tenants = Array.from({ length: size.tenants }, (_, index) => seedRows.tenantRow(random, index, new Date(HISTORY_START - 30 * DAY + index * 60 * MINUTE)));
  const nodes = Array.from({ length: seedRows.nodeCount(size.devices) }, (_, index) => {
    const region = REGIONS[index % REGIONS.length] ?? 'eu-west';
    return seedRows.nodeRow(random, index, { region, zone: `${region}-${(Math.floor(index / REGIONS.length) % 3) + 1}` }, options.heartbeatAt, new Date(HISTORY_START - 20 * DAY + index * MINUTE));
  });
  let setup = HISTORY_START - 60 * DAY;
  const setupClock = () => new Date((setup += MINUTE));
  const templates = seedRows.templateRows(random, setupClock);
  const applications = Array.from({ length: size.applications }, (_, index) => seedRows.applicationRow(random, seedRows.catalogEntry(index), index < size.applications - 3, setupClock()));
  const installable = applications.filter((application) => application.status === 'AVAILABLE');
  const plans = seedRows.planRows(random, setupClock);
  const paidPlans = plans.slice(1);
  const placement = new seedRows.Placement(nodes);
  const context = { templates, nodes, placement, statusWeights: DEVICE_WEIGHTS };
  const tenantWeights: Weights<(typeof tenants)[number]> = tenants.map((tenant, index) => [tenant, 1 / (index + 1) ** 0.7]);
  // Users buy and create devices mostly soon after signing up, some much later (the cube skews towards the start).
  const afterSignUp = (user: UserRow) => new Date(user.createdAt.getTime() + Math.floor(random.next() ** 3 * (EPOCH - user.createdAt.getTime())));

  yield {
    rows: {
      users: { tenants },
      devices: { nodes, templates },
      apps: { applications },
      billing: { plans, billingRules: seedRows.billingRuleRows(templates, setupClock()) },
      // Empty until the allocations are in: the scheduler's seed counts what they hold.
      scheduler: { nodes: nodes.map((node) => seedRows.schedulerNodeRow(node, undefined)) },
    },
    usersDone: 0,
  };

  const chunkUsers = options.chunkUsers ?? 1_000;
  let deviceIndex = 0;
  for (let done = 0; done < size.users; done += chunkUsers) {
    const count = Math.min(chunkUsers, size.users - done);
    const users = Array.from({ length: count }, (_, offset) =>
      // Growth: more users signed up lately (the root skews sign-ups towards the end).
      seedRows.userRow(random, done + offset, random.weighted(tenantWeights), () => new Date(HISTORY_START + Math.floor(span * random.next() ** (1 / 1.2)))),
    );
    const deviceCounts = shares(random, exactShare(size.devices, size.users, done, count), users.map(() => deviceWeight(random)));
    const owned = users.map((user, index) =>
      Array.from({ length: deviceCounts[index] ?? 0 }, () => {
        const device: DeviceRow = seedRows.deviceRow(random, deviceIndex++, user, context, () => afterSignUp(user));
        // Deleted long ago: the provider released the phone (the health sweep has no teardown left to do).
        return device.status === 'DELETED' ? { ...device, tornDownAt: device.statusChangedAt } : device;
      }),
    );
    const devices = owned.flat();
    const installs = devices
      .filter((device) => device.status !== 'DELETED')
      .flatMap((device) => seedRows.installRows(random, device, installable, random.int(1, 6), () => new Date(device.createdAt.getTime() + random.int(1, 7 * 24 * 60) * MINUTE)));
    const orderCounts = shares(random, exactShare(size.orders, size.users, done, count), owned.map((mine) => (1 + mine.length) * (0.25 + random.next())));
    const orders = users.flatMap((user, index) => {
      const mine = owned[index] ?? [];
      return Array.from({ length: orderCounts[index] ?? 0 }, () => seedRows.orderRow(random, user, paidPlans, mine, ORDER_WEIGHTS, () => afterSignUp(user)));
    });
    const notifications = [...users.map((user) => seedRows.notices.welcome(random, user)), ...seedRows.noticesOf(random, devices, installs, orders)];
    const usersPart: Partial<UsersSeed> = { users, quotas: raisedQuotas(users, owned, options.quotaDefaults) };
    const last = done + count >= size.users;
    const firstTenant = tenants[0];
    if (last && firstTenant) {
      const admin = demoAdminRow(firstTenant);
      usersPart.users = [...users, admin];
      usersPart.roles = [{ userId: admin.id, role: DEMO_ADMIN.role }];
    }
    yield {
      rows: {
        users: usersPart,
        devices: { devices },
        apps: { installs },
        billing: { orders },
        notifications: { notifications },
        scheduler: { allocations: seedRows.allocationRows(random, devices) },
      },
      usersDone: done + count,
    };
  }
}

/** This chunk's part of `total` spread evenly over `users`: the chunks add up to `total` exactly. */
function exactShare(total: number, users: number, done: number, count: number): number {
  return Math.floor((total * (done + count)) / users) - Math.floor((total * done) / users);
}

/** Splits `total` in proportion to `weights` into whole numbers that add up to it (largest remainders). */
export function shares(random: SeededRandom, total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (sum <= 0) return shares(random, total, weights.map(() => 1));
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((acc, value) => acc + value, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

/** How much of a chunk's devices a user holds: one in eight none, most one to three, some several, one in thirty a fleet of dozens. */
function deviceWeight(random: SeededRandom): number {
  const kind = random.weighted([['none', 12], ['few', 78], ['several', 7], ['fleet', 3]] as const);
  if (kind === 'none') return 0;
  if (kind === 'few') return 0.5 + 2.5 * random.next();
  if (kind === 'several') return 4 + 6 * random.next();
  return 15 + 45 * random.next() ** 2;
}

/**
 * Quotas raised for users whose devices go beyond the default quota (as an
 * administrator would have raised them), to twice what they hold; the others
 * get the default one with the seed.
 */
function raisedQuotas(users: readonly UserRow[], owned: readonly (readonly DeviceRow[])[], defaults: QuotaDefaults): NonNullable<UsersSeed['quotas']> {
  return users.flatMap((user, index) => {
    const live = (owned[index] ?? []).filter((device) => device.status !== 'DELETED');
    const held: QuotaDefaults = {
      maxDevices: live.length,
      maxRunningDevices: live.filter((device) => device.status === 'RUNNING' || device.status === 'ERROR').length,
      maxCpuCores: live.reduce((sum, device) => sum + device.cpuCores, 0),
      maxMemoryMb: live.reduce((sum, device) => sum + device.memoryMb, 0),
      maxStorageGb: live.reduce((sum, device) => sum + device.storageGb, 0),
    };
    const limits = Object.keys(held) as (keyof QuotaDefaults)[];
    if (limits.every((limit) => held[limit] <= defaults[limit])) return [];
    const raised = { ...held };
    for (const limit of limits) raised[limit] = Math.max(defaults[limit], 2 * held[limit]);
    return [{ userId: user.id, ...raised, createdAt: user.createdAt, updatedAt: user.createdAt }];
  });
}
