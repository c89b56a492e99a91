import type { AppsSeed } from '@cloudphone/apps-subgraph';
import type { BillingSeed } from '@cloudphone/billing-subgraph';
import type { DevicesSeed } from '@cloudphone/devices-subgraph';
import type { NotificationsSeed } from '@cloudphone/notifications-subgraph';
import type { SchedulerSeed } from '@cloudphone/scheduler-subgraph';
// The placement rule alone (no NestJS module graph): the demo places devices as the scheduler would.
import { fits } from '@cloudphone/scheduler-subgraph/placement/strategies';
import type { UsersSeed } from '@cloudphone/users-subgraph';
import { SeededRandom } from './random.js';

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

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Niklaus', 'Shafi', 'Guido', 'Sophie', 'Yukihiro'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Berners', 'Lamarr', 'Backus', 'Johnson', 'Wirth', 'Goldwasser', 'Rossum', 'Wilson', 'Matsumoto'];
const TENANTS = ['Acme Mobile', 'Globex Labs', 'Initech QA', 'Umbrella Apps', 'Stark Devices', 'Wayne Testing'];
const APP_CATALOG: [string, string, string][] = [
  ['com.whatsapp', 'WhatsApp', 'COMMUNICATION'],
  ['org.telegram.messenger', 'Telegram', 'COMMUNICATION'],
  ['com.instagram.android', 'Instagram', 'SOCIAL'],
  ['com.zhiliaoapp.musically', 'TikTok', 'SOCIAL'],
  ['com.spotify.music', 'Spotify', 'MUSIC'],
  ['com.netflix.mediaclient', 'Netflix', 'ENTERTAINMENT'],
  ['com.google.android.youtube', 'YouTube', 'ENTERTAINMENT'],
  ['com.android.chrome', 'Chrome', 'TOOLS'],
  ['org.mozilla.firefox', 'Firefox', 'TOOLS'],
  ['com.microsoft.teams', 'Teams', 'BUSINESS'],
  ['com.slack', 'Slack', 'BUSINESS'],
  ['us.zoom.videomeetings', 'Zoom', 'BUSINESS'],
  ['com.ubercab', 'Uber', 'TRAVEL'],
  ['com.airbnb.android', 'Airbnb', 'TRAVEL'],
  ['com.booking', 'Booking.com', 'TRAVEL'],
  ['com.amazon.mShop.android.shopping', 'Amazon Shopping', 'SHOPPING'],
  ['com.ebay.mobile', 'eBay', 'SHOPPING'],
  ['com.alibaba.aliexpresshd', 'AliExpress', 'SHOPPING'],
  ['com.supercell.clashofclans', 'Clash of Clans', 'GAMES'],
  ['com.king.candycrushsaga', 'Candy Crush Saga', 'GAMES'],
  ['com.mojang.minecraftpe', 'Minecraft', 'GAMES'],
  ['com.roblox.client', 'Roblox', 'GAMES'],
  ['com.duolingo', 'Duolingo', 'EDUCATION'],
  ['org.khanacademy.android', 'Khan Academy', 'EDUCATION'],
  ['com.google.android.apps.maps', 'Maps', 'TRAVEL'],
  ['com.twitter.android', 'X', 'SOCIAL'],
  ['com.reddit.frontpage', 'Reddit', 'SOCIAL'],
  ['com.paypal.android.p2pmobile', 'PayPal', 'FINANCE'],
  ['com.revolut.revolut', 'Revolut', 'FINANCE'],
  ['com.shazam.android', 'Shazam', 'MUSIC'],
  ['com.evernote', 'Evernote', 'PRODUCTIVITY'],
  ['com.todoist', 'Todoist', 'PRODUCTIVITY'],
];

const EPOCH = Date.UTC(2026, 0, 1);

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
const MINUTE = 60_000;

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

  const tenants = Array.from({ length: size.tenants }, (_, index) => {
    const createdAt = tick(60);
    const name = TENANTS[index] ?? `Tenant ${index + 1}`;
    return { id: random.uuid(), name, status: 'ACTIVE' as const, maxUsers: 100_000, maxDevices: 1_000_000, createdAt, updatedAt: createdAt };
  });

  const users = Array.from({ length: size.users }, (_, index) => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const tenant = tenants[index % tenants.length];
    if (!tenant) throw new Error('a dataset needs at least one tenant');
    const username = `${first}.${last}${index + 1}`.toLowerCase();
    const createdAt = tick(random.int(5, 90));
    return {
      id: random.uuid(),
      tenantId: tenant.id,
      username,
      email: `${username}@${tenant.name.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`,
      displayName: `${first} ${last}`,
      status: random.weighted([['ACTIVE', 92], ['INACTIVE', 4], ['SUSPENDED', 4]] as const),
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
  });

  // Four hosts for the demo; larger datasets get one more per 50 devices so every device fits.
  const nodes = Array.from({ length: Math.max(4, Math.ceil(size.devices / 50)) }, (_, index) => {
    const createdAt = tick(15);
    return {
      id: random.uuid(),
      name: `node-${String(index + 1).padStart(2, '0')}`,
      status: 'ONLINE' as const,
      region: index < 2 ? 'eu-west' : 'ap-east',
      zone: `${index < 2 ? 'eu-west' : 'ap-east'}-${(index % 2) + 1}`,
      labels: { gpu: index % 2 === 0 ? 'true' : 'false', arch: 'x86_64' },
      cpuCapacity: 256,
      memoryMbCapacity: 1_048_576,
      storageGbCapacity: 8192,
      deviceSlots: 100,
      lastHeartbeatAt: heartbeatAt,
      createdAt,
      updatedAt: createdAt,
    };
  });

  const templates = [
    { name: 'Redroid 13 standard', provider: 'REDROID' as const, cpuCores: 2, memoryMb: 4096, storageGb: 32, androidVersion: '13', image: 'redroid/redroid:13.0.0-latest' },
    { name: 'Redroid 11 light', provider: 'REDROID' as const, cpuCores: 1, memoryMb: 2048, storageGb: 16, androidVersion: '11', image: 'redroid/redroid:11.0.0-latest' },
    { name: 'Huawei CPH performance', provider: 'HUAWEI_CPH' as const, cpuCores: 8, memoryMb: 16_384, storageGb: 128, androidVersion: '12', image: 'cph/android-12-perf' },
  ].map((template) => {
    const createdAt = tick(10);
    return { id: random.uuid(), description: `${template.name} preset`, ...template, createdAt, updatedAt: createdAt };
  });

  // What each node's live devices hold, so the demo never overbooks a node (the scheduler's checks would refuse it).
  const held = new Map(nodes.map((node) => [node.id, { cpuCores: 0, memoryMb: 0, storageGb: 0, devices: 0 }]));
  const placeOn = (preferred: (typeof nodes)[number], spec: { cpuCores: number; memoryMb: number; storageGb: number }) => {
    const start = nodes.indexOf(preferred);
    for (let step = 0; step < nodes.length; step += 1) {
      const node = nodes[(start + step) % nodes.length];
      const usage = node && held.get(node.id);
      if (!node || !usage) continue;
      const capacity = { cpuCores: node.cpuCapacity, memoryMb: node.memoryMbCapacity, storageGb: node.storageGbCapacity, deviceSlots: node.deviceSlots };
      if (!fits({ capacity, allocated: usage }, spec)) continue;
      usage.cpuCores += spec.cpuCores;
      usage.memoryMb += spec.memoryMb;
      usage.storageGb += spec.storageGb;
      usage.devices += 1;
      return node;
    }
    throw new Error('the demo dataset has more devices than its nodes hold');
  };

  const devices = Array.from({ length: size.devices }, (_, index) => {
    const owner = random.pick(users);
    const template = random.pick(templates);
    const status = random.weighted([['RUNNING', 60], ['STOPPED', 20], ['ERROR', 8], ['CREATING', 5], ['DELETED', 7]] as const);
    const drawn = status === 'CREATING' ? undefined : random.pick(nodes);
    // A deleted device no longer holds its node's capacity.
    const node = drawn && status !== 'DELETED' ? placeOn(drawn, template) : drawn;
    const createdAt = tick(random.int(1, 30));
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
      adbPort: status === 'RUNNING' ? 5555 + index : null,
      healthScore: status === 'ERROR' ? random.int(0, 40) : random.int(80, 100),
      lastHeartbeatAt: status === 'RUNNING' ? createdAt : null,
      status,
      statusChangedAt: createdAt,
      createdAt,
      updatedAt: createdAt,
    };
  });

  const applications = APP_CATALOG.slice(0, size.applications).map(([packageName, name, category], index) => {
    const createdAt = tick(20);
    return {
      id: random.uuid(),
      packageName,
      name,
      versionName: `${random.int(1, 30)}.${random.int(0, 20)}.${random.int(0, 99)}`,
      versionCode: random.int(100, 99_999),
      sizeBytes: random.int(5, 400) * 1_048_576 + random.int(0, 1_048_575),
      category,
      iconUrl: `https://cdn.example.com/icons/${packageName}.png`,
      status: index < size.applications - 3 ? ('AVAILABLE' as const) : ('PENDING_REVIEW' as const),
      createdAt,
      updatedAt: createdAt,
    };
  });
  const installable = applications.filter((application) => application.status === 'AVAILABLE');

  const installs = devices
    .filter((device) => device.status !== 'DELETED' && device.status !== 'CREATING')
    .flatMap((device) =>
      random.sample(installable, random.int(0, 4)).map((application) => {
        const requestedAt = tick(1);
        const status = random.weighted([['INSTALLED', 85], ['FAILED', 8], ['PENDING', 7]] as const);
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
        };
      }),
    );

  const plans = [
    { name: 'Free', tier: 'FREE' as const, priceMinor: 0, cpuCores: 1, memoryMb: 2048, storageGb: 16, maxDevices: 1 },
    { name: 'Basic', tier: 'BASIC' as const, priceMinor: 999, cpuCores: 2, memoryMb: 4096, storageGb: 32, maxDevices: 3 },
    { name: 'Pro', tier: 'PRO' as const, priceMinor: 2999, cpuCores: 4, memoryMb: 8192, storageGb: 64, maxDevices: 10 },
    { name: 'Enterprise', tier: 'ENTERPRISE' as const, priceMinor: 19_900, cpuCores: 8, memoryMb: 16_384, storageGb: 128, maxDevices: 100 },
  ].map((plan) => {
    const createdAt = tick(5);
    return { id: random.uuid(), currency: 'USD', periodDays: 30, active: true, ...plan, createdAt, updatedAt: createdAt };
  });

  const orders = Array.from({ length: size.orders }, () => {
    const user = random.pick(users);
    const plan = random.pick(plans.slice(1));
    const owned = devices.filter((device) => device.userId === user.id);
    const device = owned.length > 0 && random.next() < 0.7 ? random.pick(owned) : undefined;
    const status = random.weighted([['PAID', 70], ['PENDING', 8], ['CANCELLED', 10], ['REFUNDED', 5], ['FAILED', 7]] as const);
    const createdAt = tick(random.int(10, 120));
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
    };
  });

  // In-app notices of what the rows above say happened: a welcome each, failed devices, installs and paid orders.
  const notice = (owner: { userId: string; tenantId: string }, createdAt: Date, type: 'WELCOME' | 'DEVICE_ERROR' | 'INSTALL_FAILED' | 'ORDER_PAID', title: string, body: string) => ({
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
  });
  const notifications = [
    ...users.map((user) => notice({ userId: user.id, tenantId: user.tenantId }, user.createdAt, 'WELCOME', `Welcome, ${user.displayName}!`, 'Your cloud phone account is ready.')),
    ...devices.filter((device) => device.status === 'ERROR').map((device) => notice(device, device.createdAt, 'DEVICE_ERROR', `${device.name} needs attention`, `Device ${device.name} stopped with an error.`)),
    ...installs
      .filter((install) => install.status === 'FAILED')
      .map((install) => notice(install, install.requestedAt, 'INSTALL_FAILED', 'An install failed', `An application could not be installed: ${install.error ?? 'unknown error'}.`)),
    ...orders
      .filter((order) => order.status === 'PAID' && order.paidAt)
      .map((order) => notice(order, order.paidAt ?? order.createdAt, 'ORDER_PAID', 'Payment received', `Thank you: order ${order.id.slice(0, 8)} is paid.`)),
  ];

  const firstTenant = tenants[0];
  if (!firstTenant) throw new Error('a dataset needs at least one tenant');
  const adminCreatedAt = new Date(EPOCH + 365 * 24 * 60 * MINUTE);
  const demoAdmin = {
    id: '00000000-0000-4000-8000-00000000ad01',
    tenantId: firstTenant.id,
    username: 'admin',
    email: DEMO_ADMIN.email,
    displayName: 'Platform Admin',
    passwordHash: DEMO_ADMIN.passwordHash,
    status: 'ACTIVE' as const,
    version: 1,
    createdAt: adminCreatedAt,
    updatedAt: adminCreatedAt,
  };
  return {
    users: { tenants, users: [...users, demoAdmin], roles: [{ userId: demoAdmin.id, role: DEMO_ADMIN.role }] },
    devices: { nodes, templates, devices },
    apps: { applications, installs },
    billing: { plans, orders, billingRules: demoBillingRules(templates, tick(5)) },
    notifications: { notifications, preferences: [] },
    scheduler: {
      nodes: nodes.map((node) => {
        const usage = held.get(node.id);
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
        };
      }),
      // Seeded devices were placed by the scheduler: a live claim each, and a released one for deleted devices.
      allocations: devices.flatMap((device) =>
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
              },
            ],
      ),
    },
  };
}

/**
 * Hourly prices of the demo: one per template spec (a cent per core-ish,
 * more for the high-end Huawei phone) and a default per provider for any
 * other spec. Minor units of USD.
 */
function demoBillingRules(templates: readonly { provider: string; cpuCores: number; memoryMb: number; storageGb: number }[], createdAt: Date) {
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

