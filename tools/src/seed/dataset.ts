import type { AppsSeed } from '@cloudphone/apps-subgraph';
import type { BillingSeed } from '@cloudphone/billing-subgraph';
import type { DevicesSeed } from '@cloudphone/devices-subgraph';
import type { NotificationsSeed } from '@cloudphone/notifications-subgraph';
import type { SchedulerSeed } from '@cloudphone/scheduler-subgraph';
import type { UsersSeed } from '@cloudphone/users-subgraph';
import { SeededRandom } from './random.js';
import {
  EPOCH,
  MINUTE,
  Placement,
  allocationRows,
  applicationRow,
  billingRuleRows,
  catalogEntry,
  deviceRow,
  installRows,
  nodeCount,
  nodeRow,
  noticesOf,
  notices,
  orderRow,
  planRows,
  schedulerNodeRow,
  templateRows,
  tenantRow,
  userRow,
} from './rows.js';
import { DEVICE_STATUS_WEIGHTS, ORDER_STATUS_WEIGHTS } from './vocabulary.js';

/** Rows for every subgraph, keyed by subgraph name; consistent across databases (ids, owner copies). */
export interface DemoDataset {
  users: UsersSeed;
  devices: DevicesSeed;
  apps: AppsSeed;
  billing: BillingSeed;
  notifications: NotificationsSeed;
  scheduler: SchedulerSeed;
}

export interface DatasetSize {
  tenants: number;
  users: number;
  devices: number;
  applications: number;
  orders: number;
}

export const DEMO_SIZE: DatasetSize = { tenants: 3, users: 50, devices: 200, applications: 30, orders: 120 };
export const DEMO_SEED = 20_261_122;

/**
 * The demo's platform administrator (SUPER_ADMIN), so a fresh `npm start`
 * can be signed into: README gives the address and password. Demo data
 * only; a production deployment seeds nothing. Created last, so the random
 * data before it is the same with or without it.
 */
export const DEMO_ADMIN = {
  email: 'admin@cloudphone.example.com',
  password: 'cloudphone-demo-admin',
  // argon2id of the password above: hashing at every dataset build would cost a quarter second each.
  passwordHash: '$argon2id$v=19$m=65536,p=4,t=3$a9ggVlNRRz842J+EmRfVMg$1xaNFYdWS8TtTNzoMePPsnFKgImXldnOTps/h7Yy/u4',
  role: 'SUPER_ADMIN',
} as const;

/** The demo administrator's row, in the first tenant; created after all generated rows. */
export function demoAdminRow(firstTenant: { id: string }) {
  const createdAt = new Date(EPOCH + 365 * 24 * 60 * MINUTE);
  return {
    id: '00000000-0000-4000-8000-00000000ad01',
    tenantId: firstTenant.id,
    username: 'admin',
    email: DEMO_ADMIN.email,
    displayName: 'Platform Admin',
    passwordHash: DEMO_ADMIN.passwordHash,
    status: 'ACTIVE' as const,
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
}

/**
 * Deterministic demo data: the same seed, size and `heartbeatAt` always give
 * the same rows. `heartbeatAt` is when the nodes last called in (default: now),
 * so seeded nodes start ONLINE and fresh instead of silent since their
 * creation, which the devices subgraph's first health sweep would mark OFFLINE.
 */
export function buildDemoDataset(size: DatasetSize = DEMO_SIZE, seed = DEMO_SEED, heartbeatAt = new Date()): DemoDataset {
  const random = new SeededRandom(seed);
  let clock = EPOCH;
  // Every row gets a later creation time than the one before, so lists sort the same everywhere.
  const tick = (minutes: number): Date => {
    clock += minutes * MINUTE;
    return new Date(clock);
  };

  const tenants = Array.from({ length: size.tenants }, (_, index) => tenantRow(random, index, tick(60)));
  const users = Array.from({ length: size.users }, (_, index) => {
    const tenant = tenants[index % tenants.length];
    if (!tenant) throw new Error('a dataset needs at least one tenant');
    return userRow(random, index, tenant, () => tick(random.int(5, 90)));
  });
  // The first two hosts in Europe, the others in Asia.
  const nodes = Array.from({ length: nodeCount(size.devices) }, (_, index) => {
    const region = index < 2 ? 'eu-west' : 'ap-east';
    return nodeRow(random, index, { region, zone: `${region}-${(index % 2) + 1}` }, heartbeatAt, tick(15));
  });
  const templates = templateRows(random, () => tick(10));
  const placement = new Placement(nodes);
  const context = { templates, nodes, placement, statusWeights: DEVICE_STATUS_WEIGHTS };
  const devices = Array.from({ length: size.devices }, (_, index) => deviceRow(random, index, random.pick(users), context, () => tick(random.int(1, 30))));
  const applications = Array.from({ length: size.applications }, (_, index) => applicationRow(random, catalogEntry(index), index < size.applications - 3, tick(20)));
  const installable = applications.filter((application) => application.status === 'AVAILABLE');
  const installs = devices
    .filter((device) => device.status !== 'DELETED' && device.status !== 'CREATING')
    .flatMap((device) => installRows(random, device, installable, random.int(0, 4), () => tick(1)));
  const plans = planRows(random, () => tick(5));
  const orders = Array.from({ length: size.orders }, () => {
    const user = random.pick(users);
    const owned = devices.filter((device) => device.userId === user.id);
    return orderRow(random, user, plans.slice(1), owned, ORDER_STATUS_WEIGHTS, () => tick(random.int(10, 120)));
  });
  // In-app notices of what the rows above say happened: a welcome each, failed devices, installs and paid orders.
  const notifications = [...users.map((user) => notices.welcome(random, user)), ...noticesOf(random, devices, installs, orders)];

  const firstTenant = tenants[0];
  if (!firstTenant) throw new Error('a dataset needs at least one tenant');
  const demoAdmin = demoAdminRow(firstTenant);
  return {
    users: { tenants, users: [...users, demoAdmin], roles: [{ userId: demoAdmin.id, role: DEMO_ADMIN.role }] },
    devices: { nodes, templates, devices },
    apps: { applications, installs },
    billing: { plans, orders, billingRules: billingRuleRows(templates, tick(5)) },
    notifications: { notifications, preferences: [] },
    // Seeded devices were placed by the scheduler: a live claim each, and a released one for deleted devices.
    scheduler: { nodes: nodes.map((node) => schedulerNodeRow(node, placement.usage(node.id))), allocations: allocationRows(random, devices) },
  };
}
