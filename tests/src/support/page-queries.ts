import { readFileSync } from 'node:fs';
import { DEVICE_LIST_PAGE } from '@cloudphone/tools/bench/pages/device-list-page';
import { repoPath } from '@cloudphone/tools';

/**
 * The pages of DOMAIN.md ("What the pages need"), one GraphQL operation each,
 * as a frontend sends them through the gateway: the benchmark's device list
 * page, and the client operations of schema/operations/ (which schema:check
 * validates against the supergraph). Tests run them to see which SQL the
 * subgraphs send for a page (e.g. to EXPLAIN it).
 */

function clientOperation(file: string): string {
  return readFileSync(repoPath('schema', 'operations', file), 'utf8');
}

export { DEVICE_LIST_PAGE };

/** The admin device list with its filters (owner prefix, tenant, status) and any sort order ($first, $owner, $tenantId, $status, $orderBy). */
export const ADMIN_DEVICE_LIST_PAGE = clientOperation('admin-device-list.graphql');

/** The admin user list: users with balance, device count and last order ($first). */
export const USER_LIST_PAGE = clientOperation('admin-user-list.graphql');

/** The order list: orders with their user, plan, device and payments ($first). */
export const ORDER_LIST_PAGE = clientOperation('order-list.graphql');

/** The device detail page: the device with owner, node, allocation, installs, usage and orders ($deviceId). */
export const DEVICE_DETAIL_PAGE = clientOperation('device-detail.graphql');

const DASHBOARD_OF_USER = 'query UserDashboard($userId: ID!) {\n  user(id: $userId) {';

/** A signed-in user's dashboard (`me`): devices by status vs quota, installed apps, balance, monthly spend (invoices), usage, unread notifications. */
export const USER_DASHBOARD_PAGE = ((source: string) => {
  if (!source.includes(DASHBOARD_OF_USER)) throw new Error('user-dashboard.graphql no longer starts with user(id: $userId)');
  return source.replace(DASHBOARD_OF_USER, 'query MyDashboard {\n  me {');
})(clientOperation('user-dashboard.graphql'));
