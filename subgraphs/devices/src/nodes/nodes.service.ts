import { cursorOf } from '@cloudphone/db';
import { AppError } from '@cloudphone/errors';
import { SHARED_ROW, assertAccess, assertAnyAccess } from '@cloudphone/identity';
import { type ConnectionArgs, type ConnectionShape, type RequestContext, UNIQUE_VIOLATION, byKeys, labelMap, sqlState, toConnection, toPageRequest } from '@cloudphone/subgraph-kit';
import { Injectable } from '@nestjs/common';
import type { NodeRow } from '../database/schema.js';
import type { CreateNodeInput, Node, NodeStatus, UpdateNodeInput } from './models/node.model.js';
import { NODE_SORT, NodesRepository } from './nodes.repository.js';

export function toNode(row: NodeRow): Node {
  return {
    id: row.id,
    name: row.name,
    status: row.status as NodeStatus,
    region: row.region,
    zone: row.zone,
    labels: Object.entries(row.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, value })),
    capacity: { cpuCores: row.cpuCapacity, memoryMb: row.memoryMbCapacity, storageGb: row.storageGbCapacity, deviceSlots: row.deviceSlots },
    lastHeartbeatAt: row.lastHeartbeatAt,
    createdAt: row.createdAt,
  };
}

/**
 * Nodes are infrastructure: reading one needs node:read (ADMIN, SUPER_ADMIN;
 * a USER has none and gets FORBIDDEN), changing one needs node:write
 * (SUPER_ADMIN, and services, e.g. node agents calling in).
 */
@Injectable()
export class NodesService {
  constructor(private readonly repository: NodesRepository) {}

  /** `node(id)`, `Device.node` and `_entities`: refused as a whole without node:read, as no node is anyone's own. */
  async byId(context: RequestContext, id: string): Promise<Node | null> {
    assertAccess(context.principal, 'node', SHARED_ROW);
    return context.loaders
      .get<string, Node | null>('Node.byId', async (ids) => byKeys(ids, (await this.repository.findByIds(ids)).map(toNode), (node) => node.id))
      .load(id);
  }

  async list(context: RequestContext, args: ConnectionArgs, filter: { status?: NodeStatus | null; region?: string | null } | null | undefined): Promise<ConnectionShape<Node>> {
    const scope = assertAnyAccess(context.principal, 'node');
    const request = toPageRequest(args);
    const page = await this.repository.findPage({ scope, status: filter?.status ?? undefined, region: filter?.region ?? undefined }, request);
    return toConnection(page, request, (row) => cursorOf(NODE_SORT, row.createdAt, row.id), toNode);
  }

  async create(context: RequestContext, input: CreateNodeInput): Promise<Node> {
    assertAccess(context.principal, 'node', SHARED_ROW, 'write');
    const row = await this.repository
      .insert({
        name: input.name.trim(),
        region: input.region,
        zone: input.zone,
        labels: labelMap(input.labels ?? [], 'labels'),
        cpuCapacity: input.cpuCores,
        memoryMbCapacity: input.memoryMb,
        storageGbCapacity: input.storageGb,
        deviceSlots: input.deviceSlots,
        lastHeartbeatAt: new Date(),
      }, context)
      .catch((error: unknown) => {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', `A node named "${input.name}" already exists`, { details: { field: 'name' } });
        throw error;
      });
    return toNode(row);
  }

  async heartbeat(context: RequestContext, id: string): Promise<Node> {
    // A heartbeat changes the node (back ONLINE): its agent calls with node:write, or as a service.
    assertAccess(context.principal, 'node', SHARED_ROW, 'write');
    const row = await this.repository.recordHeartbeat(id, new Date(), context);
    if (!row) throw new AppError('NODE_NOT_FOUND', 'Node not found', { details: { id } });
    return toNode(row);
  }

  async update(context: RequestContext, id: string, input: UpdateNodeInput): Promise<Node> {
    assertAccess(context.principal, 'node', SHARED_ROW, 'write');
    const row = await this.repository.update(id, {
      ...(input.status != null ? { status: input.status } : {}),
      ...(input.labels != null ? { labels: labelMap(input.labels, 'labels') } : {}),
    }, context);
    if (!row) throw new AppError('NODE_NOT_FOUND', 'Node not found', { details: { id } });
    return toNode(row);
  }
}
