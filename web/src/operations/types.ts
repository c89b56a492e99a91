// Result and variable shapes of the console's operations: the fields the pages read, as the supergraph
// types them (schema/supergraph.graphql). The operations themselves are the committed files.

export type DeviceStatus = 'CREATING' | 'RUNNING' | 'STOPPED' | 'ERROR' | 'DELETED';
export type SortDirection = 'ASC' | 'DESC';
export type DeviceOrderField = 'CREATED_AT' | 'NAME' | 'STATUS' | 'OWNER_NAME' | 'OWNER_EMAIL';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor?: string; node: TNode }[];
}

export interface Money {
  amount: string;
  currency: string;
}

export interface OrderSummary {
  id: string;
  status: string;
  amount: string;
  currency: string;
  createdAt: string;
  plan: { name: string } | null;
}

export interface Viewer {
  id: string;
  displayName: string;
  email: string;
  roles: string[];
  unreadNotificationCount: number | null;
}
export type ViewerData = { me: Viewer | null };

export type LoginData = {
  login: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; user: Omit<Viewer, 'unreadNotificationCount'> };
};
export type LoginVariables = { input: { email: string; password: string } };
export type RefreshSessionData = { refreshSession: { accessToken: string; accessTokenExpiresAt: string; refreshToken: string } };
export type RefreshSessionVariables = { refreshToken: string };
export type LogoutData = { logout: boolean };
export type LogoutVariables = { refreshToken: string };

export interface DeviceListNode {
  id: string;
  name: string;
  status: DeviceStatus;
  statusLabel: string;
  provider: string;
  healthScore: number | null;
  createdAt: string;
  user: { id: string; displayName: string; email: string; tenant: { id: string; name: string } } | null;
  node: { id: string; name: string; region: string; zone: string } | null;
  installedApplicationCount: number | null;
  latestOrder: OrderSummary | null;
}
export type AdminDeviceListData = { devices: Connection<DeviceListNode> };
export type AdminDeviceListVariables = {
  first?: number;
  after?: string | null;
  owner?: string | null;
  orderBy?: { field: DeviceOrderField; direction: SortDirection } | null;
};

export interface DeviceDetail {
  id: string;
  name: string;
  status: DeviceStatus;
  statusLabel: string;
  statusChangedAt: string;
  provider: string;
  androidVersion: string;
  adbEndpoint: string | null;
  healthScore: number | null;
  lastHeartbeatAt: string | null;
  expiresAt: string | null;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  user: { id: string; displayName: string; email: string } | null;
  node: { id: string; name: string; status: string; region: string; zone: string } | null;
  applications: { id: string; status: string; error: string | null; application: { id: string; name: string; versionName: string } | null }[] | null;
  /** One total per currency the device was billed in. */
  usageTotals: { currency: string; records: number; runningMs: number; cost: string }[] | null;
  orders: Connection<OrderSummary> | null;
}
export type DeviceDetailData = { device: DeviceDetail | null };
export type DeviceDetailVariables = { deviceId: string };

export type DevicePowerData = { startDevice?: { id: string; status: DeviceStatus }; stopDevice?: { id: string; status: DeviceStatus } };
export type DevicePowerVariables = { id: string };

export type DeviceStatusChangedData = {
  deviceStatusChanged: { previousStatus: DeviceStatus; status: DeviceStatus; occurredAt: string; device: { id: string; status: DeviceStatus } };
};
export type DeviceStatusChangedVariables = { deviceId?: string | null; userId?: string | null };

export interface DashboardDevice {
  id: string;
  name: string;
  status: DeviceStatus;
  spec: { cpuCores: number; memoryMb: number; storageGb: number };
  applications: { status: string; application: { id: string; name: string } | null }[] | null;
}
export type UserDashboardData = {
  user: {
    id: string;
    displayName: string;
    tenant: { name: string; maxDevices: number } | null;
    quota: { maxDevices: number; maxRunningDevices: number; status: string } | null;
    quotaUsage: { devices: number; runningDevices: number } | null;
    running: { totalCount: number } | null;
    stopped: { totalCount: number } | null;
    failed: { totalCount: number } | null;
    devices: Connection<DashboardDevice> | null;
    balance: Money | null;
    orders: { edges: { node: OrderSummary }[] } | null;
    unreadNotificationCount: number | null;
  } | null;
};
export type UserDashboardVariables = { userId: string };

export interface OrderListNode extends OrderSummary {
  paidAt: string | null;
  user: { id: string; displayName: string; email: string } | null;
  device: { id: string; name: string; status: DeviceStatus } | null;
  payments: { id: string; method: string; status: string }[] | null;
}
export type OrderListData = { orders: Connection<OrderListNode> };
export type OrderListVariables = { first?: number; after?: string | null };

export interface NotificationNode {
  id: string;
  type: string;
  severity: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}
export type NotificationCentreData = {
  user: { id: string; unreadNotificationCount: number | null; notifications: Connection<NotificationNode> | null } | null;
};
export type NotificationCentreVariables = { userId: string; after?: string | null; unreadOnly?: boolean };
export type MarkNotificationReadData = { markNotificationRead: { id: string; readAt: string | null } };
export type MarkNotificationReadVariables = { id: string };
export type MarkAllNotificationsReadData = { markAllNotificationsRead: number };
export type MarkAllNotificationsReadVariables = { userId: string };
