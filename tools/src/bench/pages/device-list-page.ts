import { type OrderSummary, latestOrdersBy, pageInfoOf } from './floor-shapes.js';
import { type BenchPage, type PageDatabases, variableOf } from './page.js';

/**
 * The admin device list of DOMAIN.md ("What the pages need"): a page of
 * devices sorted by owner name, each with its owner (name, e-mail, tenant),
 * node, installed app count and latest order with its plan. Four subgraphs:
 * devices, users, apps and billing. Without `totalCount`: the page asks
 * whether more follow, and counting every device is a cost of its own.
 */
export const DEVICE_LIST_PAGE = `query DeviceListPage($first: Int!) {
  devices(first: $first, orderBy: { field: OWNER_NAME, direction: ASC }) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id name status provider createdAt
        user { id displayName email tenant { name } }
        node { name }
        installedApplicationCount
        latestOrder { id status amount currency createdAt plan { name } }
      }
    }
  }
}`;

/** One device of the page, as the query above answers it. */
export interface DeviceListItem {
  id: string;
  name: string;
  status: string;
  provider: string;
  createdAt: string;
  user: { id: string; displayName: string; email: string; tenant: { name: string } };
  node: { name: string } | null;
  installedApplicationCount: number;
  latestOrder: OrderSummary | null;
}

export interface DeviceListData {
  devices: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: DeviceListItem }[] };
}

interface DeviceRow {
  id: string;
  name: string;
  status: string;
  provider: string;
  created_at: Date;
  user_id: string;
  owner_name: string;
  node_name: string | null;
}
interface OwnerRow {
  id: string;
  display_name: string;
  email: string;
  tenant_name: string;
}
interface InstallCountRow {
  device_id: string;
  installed: number;
}

/**
 * The same page read straight from the four databases, as little as the data
 * needs: the page of devices (with its node), then the owners, install counts
 * and latest orders of those devices at once. The floor the gateway is
 * measured against: no GraphQL, no authorization, no network hop between
 * services.
 */
export async function readDeviceListPage(databases: PageDatabases, first: number): Promise<DeviceListData> {
  const rows = await databases.devices<DeviceRow[]>`
    select d.id, d.name, d.status, d.provider, d.created_at, d.user_id, d.owner_name, n.name as node_name
    from devices d left join nodes n on n.id = d.node_id
    order by d.owner_name asc, d.id asc
    limit ${first + 1}`;
  const page = rows.slice(0, first);
  const deviceIds = page.map((row) => row.id);
  const userIds = [...new Set(page.map((row) => row.user_id))];
  const [owners, installs, orderById] = await Promise.all([
    databases.users<OwnerRow[]>`
      select u.id, u.display_name, u.email, t.name as tenant_name
      from users u join tenants t on t.id = u.tenant_id
      where u.id = any(${userIds}::uuid[])`,
    databases.apps<InstallCountRow[]>`
      select device_id, count(*)::int as installed
      from device_applications
      where device_id = any(${deviceIds}::uuid[]) and status = 'INSTALLED'
      group by device_id`,
    latestOrdersBy(databases.billing, 'device_id', deviceIds),
  ]);
  const ownerById = new Map(owners.map((owner) => [owner.id, owner]));
  const installedById = new Map(installs.map((row) => [row.device_id, row.installed]));
  const edges = page.map((row) => {
    const owner = ownerById.get(row.user_id);
    if (!owner) throw new Error(`device ${row.id}: owner ${row.user_id} is not in the users database`);
    const order = orderById.get(row.id);
    return {
      node: {
        id: row.id,
        name: row.name,
        status: row.status,
        provider: row.provider,
        createdAt: row.created_at.toISOString(),
        user: { id: owner.id, displayName: owner.display_name, email: owner.email, tenant: { name: owner.tenant_name } },
        node: row.node_name === null ? null : { name: row.node_name },
        installedApplicationCount: installedById.get(row.id) ?? 0,
        latestOrder: order ?? null,
      } satisfies DeviceListItem,
    };
  });
  return {
    devices: {
      pageInfo: pageInfoOf(rows, first, (row) => ({ value: row.owner_name, id: row.id })),
      edges,
    },
  };
}

export const deviceListPage: BenchPage = {
  name: 'device-list',
  title: 'admin device list',
  description:
    "`devices(first: N, orderBy: OWNER_NAME)` with each device's owner (name, e-mail, tenant), node, installed application count and latest order with its plan: the devices, users, apps and billing subgraphs. The page the issue's targets name.",
  query: async () => DEVICE_LIST_PAGE,
  pageSizeVariable: 'first',
  variables: async (_databases, pageSize) => ({ first: pageSize }),
  readFloor: (databases, variables) => readDeviceListPage(databases, variableOf(variables, 'first', 'number')),
};
