import type { DemoDataset } from '@cloudphone/tools';

/** The frontend's one nested query: users with their tenant, devices, installed apps and orders. */
export const NESTED_QUERY = /* GraphQL */ `
  query UsersWithEverything($first: Int!) {
    users(first: $first) {
      totalCount
      edges {
        node {
          id
          username
          email
          displayName
          status
          tenant { name }
          devices(first: 100) {
            totalCount
            edges {
              node {
                id
                name
                status
                provider
                spec { cpuCores memoryMb storageGb }
                user { id email }
                applications { status application { packageName name } }
              }
            }
          }
          orders(first: 100) {
            totalCount
            edges { node { id amount currency status plan { name } device { id name } } }
          }
        }
      }
    }
  }
`;

function byTimeThenId<T extends { id?: string | undefined }>(time: (row: T) => Date, direction: 1 | -1) {
  return (a: T, b: T): number => {
    const [left, right] = [a.id ?? '', b.id ?? ''];
    return direction * (time(a).getTime() - time(b).getTime() || (left < right ? -1 : left > right ? 1 : 0));
  };
}

/** Minor units to the decimal string billing shows (two decimals for USD), without floating point. */
function decimal(minor: number): string {
  return `${Math.trunc(minor / 100)}.${String(Math.abs(minor % 100)).padStart(2, '0')}`;
}

/**
 * What NESTED_QUERY must return for a dataset, computed from the seeded rows
 * alone: an oracle independent of the databases and the gateway.
 */
export function expectedNestedResult(dataset: DemoDataset, first: number): unknown {
  const { tenants, users } = dataset.users;
  const { devices } = dataset.devices;
  const { applications, installs } = dataset.apps;
  const { plans, orders } = dataset.billing;
  const at = (row: { createdAt?: Date | undefined }) => row.createdAt ?? new Date(0);
  const sortedUsers = [...users].sort(byTimeThenId((user) => at(user), 1));
  return {
    users: {
      totalCount: users.length,
      edges: sortedUsers.slice(0, first).map((user) => {
        const ownDevices = devices.filter((device) => device.userId === user.id).sort(byTimeThenId((device) => at(device), 1));
        const ownOrders = orders.filter((order) => order.userId === user.id).sort(byTimeThenId((order) => at(order), -1));
        return {
          node: {
            id: user.id,
            username: user.username,
            email: user.email,
            displayName: user.displayName,
            status: user.status,
            tenant: { name: tenants.find((tenant) => tenant.id === user.tenantId)?.name },
            devices: {
              totalCount: ownDevices.length,
              edges: ownDevices.map((device) => ({
                node: {
                  id: device.id,
                  name: device.name,
                  status: device.status,
                  provider: device.provider,
                  spec: { cpuCores: device.cpuCores, memoryMb: device.memoryMb, storageGb: device.storageGb },
                  user: { id: user.id, email: user.email },
                  applications: installs
                    .filter((install) => install.deviceId === device.id && install.status !== 'UNINSTALLED')
                    .sort(byTimeThenId((install) => install.requestedAt ?? new Date(0), 1))
                    .map((install) => {
                      const application = applications.find((candidate) => candidate.id === install.applicationId);
                      return { status: install.status, application: { packageName: application?.packageName, name: application?.name } };
                    }),
                },
              })),
            },
            orders: {
              totalCount: ownOrders.length,
              edges: ownOrders.map((order) => {
                const device = devices.find((candidate) => candidate.id === order.deviceId);
                return {
                  node: {
                    id: order.id,
                    amount: decimal(order.amountMinor),
                    currency: order.currency,
                    status: order.status,
                    plan: { name: plans.find((plan) => plan.id === order.planId)?.name },
                    device: device ? { id: device.id, name: device.name } : null,
                  },
                };
              }),
            },
          },
        };
      }),
    },
  };
}
