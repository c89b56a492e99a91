import { readAllPages } from '../graphql-client.js';

export interface ConsistencyTargets {
  /** The gateway: the sources (users, devices) through the public API. */
  gatewayUrl: string;
  /** Subgraphs queried directly for their copies (hidden from the public API). */
  devicesUrl: string;
  billingUrl: string;
  /** How the check signs in at the gateway: an administrator who reaches every row (SUPER_ADMIN). */
  gatewayHeaders: Record<string, string>;
  /** How it calls the subgraphs directly: a service identity signed with the internal secret. */
  subgraphHeaders: Record<string, string>;
}

export interface Mismatch {
  copy: string;
  id: string;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface ConsistencyReport {
  checked: { devices: number; orders: number; nodes: number; placements: number };
  mismatches: Mismatch[];
}

interface UserSource {
  id: string;
  displayName: string;
  email: string;
  version: number;
}
interface DeviceSource {
  id: string;
  name: string;
  version: number;
}
interface DeviceCopy {
  id: string;
  userId: string;
  ownerCopy: { name: string; email: string; version: number };
}
interface OrderCopy {
  id: string;
  user: { id: string };
  device: { id: string } | null;
  copies: { userName: string; userEmail: string; userVersion: number; deviceName: string | null; deviceVersion: number | null };
}

interface ResourceAmounts {
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
  deviceSlots: number;
}
interface NodeView {
  id: string;
  capacity: ResourceAmounts;
  resources: { cpuCores: { capacity: number }; memoryMb: { capacity: number }; storageGb: { capacity: number }; deviceSlots: { capacity: number } } | null;
}
interface PlacedDevice {
  id: string;
  status: string;
  node: { id: string } | null;
  allocation: { status: string; node: { id: string } } | null;
}

const NODE_SELECTION = 'id capacity { cpuCores memoryMb storageGb deviceSlots } resources { cpuCores { capacity } memoryMb { capacity } storageGb { capacity } deviceSlots { capacity } }';
const PLACEMENT_SELECTION = 'id status node { id } allocation { status node { id } }';

/**
 * The scheduler's side: its copy of every node's capacity matches the
 * devices subgraph's node, and every device on a node (not deleted) holds a
 * live allocation on that same node.
 */
function comparePlacement(mismatches: Mismatch[], nodes: NodeView[], devices: PlacedDevice[]): number {
  for (const node of nodes) {
    if (!node.resources) {
      mismatches.push({ copy: 'scheduler.node', id: node.id, field: 'resources', expected: 'a copy of the node', actual: null });
      continue;
    }
    compare(mismatches, 'scheduler.node', node.id, [
      ['cpuCores', node.capacity.cpuCores, node.resources.cpuCores.capacity],
      ['memoryMb', node.capacity.memoryMb, node.resources.memoryMb.capacity],
      ['storageGb', node.capacity.storageGb, node.resources.storageGb.capacity],
      ['deviceSlots', node.capacity.deviceSlots, node.resources.deviceSlots.capacity],
    ]);
  }
  const placed = devices.filter((device) => device.node !== null && device.status !== 'DELETED');
  for (const device of placed) {
    compare(mismatches, 'scheduler.allocation', device.id, [
      ['status', 'ALLOCATED', device.allocation?.status ?? null],
      ['nodeId', device.node?.id, device.allocation?.node.id ?? null],
    ]);
  }
  return placed.length;
}

function compare(mismatches: Mismatch[], copy: string, id: string, pairs: [string, unknown, unknown][]): void {
  for (const [field, expected, actual] of pairs) if (expected !== actual) mismatches.push({ copy, id, field, expected, actual });
}

/**
 * Compares every denormalized copy with its source: the owner copies on
 * devices, the user and device copies on orders, and the scheduler's node
 * copies and allocations against the devices subgraph's nodes and devices. Copies are read from
 * their subgraphs (they are @inaccessible in the public API); sources come
 * through the gateway.
 */
export async function checkConsistency(targets: ConsistencyTargets): Promise<ConsistencyReport> {
  const [users, devices, deviceCopies, orderCopies, nodes] = await Promise.all([
    readAllPages<UserSource>(targets.gatewayUrl, targets.gatewayHeaders, 'users', 'id displayName email version'),
    readAllPages<DeviceSource & PlacedDevice>(targets.gatewayUrl, targets.gatewayHeaders, 'devices', `id name version ${PLACEMENT_SELECTION}`),
    readAllPages<DeviceCopy>(targets.devicesUrl, targets.subgraphHeaders, 'devices', 'id userId ownerCopy { name email version }'),
    readAllPages<OrderCopy>(targets.billingUrl, targets.subgraphHeaders, 'orders', 'id user { id } device { id } copies { userName userEmail userVersion deviceName deviceVersion }'),
    readAllPages<NodeView>(targets.gatewayUrl, targets.gatewayHeaders, 'nodes', NODE_SELECTION),
  ]);
  const usersById = new Map(users.map((user) => [user.id, user]));
  const devicesById = new Map(devices.map((device) => [device.id, device]));
  const mismatches: Mismatch[] = [];
  for (const device of deviceCopies) {
    const owner = usersById.get(device.userId);
    if (!owner) {
      mismatches.push({ copy: 'devices.owner', id: device.id, field: 'userId', expected: 'an existing user', actual: device.userId });
      continue;
    }
    compare(mismatches, 'devices.owner', device.id, [
      ['name', owner.displayName, device.ownerCopy.name],
      ['email', owner.email, device.ownerCopy.email],
      ['version', owner.version, device.ownerCopy.version],
    ]);
  }
  for (const order of orderCopies) {
    const user = usersById.get(order.user.id);
    if (user) {
      compare(mismatches, 'orders.user', order.id, [
        ['userName', user.displayName, order.copies.userName],
        ['userEmail', user.email, order.copies.userEmail],
        ['userVersion', user.version, order.copies.userVersion],
      ]);
    } else mismatches.push({ copy: 'orders.user', id: order.id, field: 'userId', expected: 'an existing user', actual: order.user.id });
    if (order.device) {
      const device = devicesById.get(order.device.id);
      if (device) {
        compare(mismatches, 'orders.device', order.id, [
          ['deviceName', device.name, order.copies.deviceName],
          ['deviceVersion', device.version, order.copies.deviceVersion],
        ]);
      } else mismatches.push({ copy: 'orders.device', id: order.id, field: 'deviceId', expected: 'an existing device', actual: order.device.id });
    }
  }
  const placements = comparePlacement(mismatches, nodes, devices);
  return { checked: { devices: deviceCopies.length, orders: orderCopies.length, nodes: nodes.length, placements }, mismatches };
}
