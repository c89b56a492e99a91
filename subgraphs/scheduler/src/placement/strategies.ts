/** How the scheduler orders the nodes that fit a device. */
export type PlacementStrategyName = 'LEAST_LOADED' | 'BINPACK' | 'SPREAD' | 'ROUND_ROBIN' | 'WEIGHTED';

export interface Resources {
  cpuCores: number;
  memoryMb: number;
  storageGb: number;
}

/** A node as placement sees it: what it has and what its allocations hold. */
export interface CandidateNode {
  nodeId: string;
  name: string;
  zone: string;
  capacity: Resources & { deviceSlots: number };
  allocated: Resources & { devices: number };
}

export interface PlacementContext {
  /** SPREAD: how many live allocations the requesting user has on each node. */
  userAllocationsByNode: ReadonlyMap<string, number>;
  /** ROUND_ROBIN: a counter that moves by one per placement. */
  roundRobinPosition: number;
}

const ratio = (used: number, capacity: number): number => (capacity <= 0 ? 1 : used / capacity);

/** Load score of DOMAIN.md, 0 (idle) to 1 (full): 0.3 cpu% + 0.3 memory% + 0.4 device-slot%. */
export function loadScore(node: Pick<CandidateNode, 'capacity' | 'allocated'>): number {
  return (
    0.3 * ratio(node.allocated.cpuCores, node.capacity.cpuCores) +
    0.3 * ratio(node.allocated.memoryMb, node.capacity.memoryMb) +
    0.4 * ratio(node.allocated.devices, node.capacity.deviceSlots)
  );
}

/** Whether the node has room for one more device of this size. */
export function fits(node: Pick<CandidateNode, 'capacity' | 'allocated'>, request: Resources): boolean {
  return (
    node.allocated.cpuCores + request.cpuCores <= node.capacity.cpuCores &&
    node.allocated.memoryMb + request.memoryMb <= node.capacity.memoryMb &&
    node.allocated.storageGb + request.storageGb <= node.capacity.storageGb &&
    node.allocated.devices + 1 <= node.capacity.deviceSlots
  );
}

/** The node's load once this device is on it: BINPACK fills the node this leaves fullest. */
function loadAfter(node: CandidateNode, request: Resources): number {
  return loadScore({
    capacity: node.capacity,
    allocated: {
      cpuCores: node.allocated.cpuCores + request.cpuCores,
      memoryMb: node.allocated.memoryMb + request.memoryMb,
      storageGb: node.allocated.storageGb + request.storageGb,
      devices: node.allocated.devices + 1,
    },
  });
}

type Comparator = (a: CandidateNode, b: CandidateNode) => number;

/** Equal scores fall back to the name, then the id: the same state always gives the same order. */
const stable: Comparator = (a, b) => a.name.localeCompare(b.name) || a.nodeId.localeCompare(b.nodeId);

const by =
  (...keys: ((node: CandidateNode) => number)[]): Comparator =>
  (a, b) => {
    for (const key of keys) {
      const difference = key(a) - key(b);
      if (difference !== 0) return difference;
    }
    return stable(a, b);
  };

/**
 * Orders the nodes that fit the request, best first. The caller reserves on
 * the first and moves down the list when a concurrent placement took the room.
 * - LEAST_LOADED: fewest devices, then the lower load score.
 * - WEIGHTED: lowest load score (cpu, memory and slots weighted together).
 * - BINPACK: the node left fullest by this device, so others stay empty.
 * - SPREAD: fewest of this user's devices on the node, then in its zone, then the lower load score.
 * - ROUND_ROBIN: the nodes in name order, starting one further each placement.
 */
export function rankNodes(strategy: PlacementStrategyName, nodes: readonly CandidateNode[], request: Resources, context: PlacementContext): CandidateNode[] {
  const fitting = nodes.filter((node) => fits(node, request));
  switch (strategy) {
    case 'LEAST_LOADED':
      return fitting.sort(by((node) => node.allocated.devices, loadScore));
    case 'WEIGHTED':
      return fitting.sort(by(loadScore));
    case 'BINPACK':
      return fitting.sort(by((node) => -loadAfter(node, request)));
    case 'SPREAD': {
      const mine = (node: CandidateNode) => context.userAllocationsByNode.get(node.nodeId) ?? 0;
      const perZone = new Map<string, number>();
      for (const node of nodes) perZone.set(node.zone, (perZone.get(node.zone) ?? 0) + mine(node));
      return fitting.sort(by(mine, (node) => perZone.get(node.zone) ?? 0, loadScore));
    }
    case 'ROUND_ROBIN': {
      const ordered = fitting.sort(stable);
      if (ordered.length === 0) return ordered;
      const start = ((context.roundRobinPosition % ordered.length) + ordered.length) % ordered.length;
      return [...ordered.slice(start), ...ordered.slice(0, start)];
    }
  }
}
