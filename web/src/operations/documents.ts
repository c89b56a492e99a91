// The console's operations are the committed client operations that `npm run schema:check` validates
// against the supergraph: imported as text at build time, so a page can never drift from what was checked.
import adminDeviceListSource from '../../../schema/operations/admin-device-list.graphql?raw';
import deviceDetailSource from '../../../schema/operations/device-detail.graphql?raw';
import devicePowerSource from '../../../schema/operations/device-power.graphql?raw';
import deviceStatusSource from '../../../schema/operations/device-status.graphql?raw';
import loginSource from '../../../schema/operations/login.graphql?raw';
import notificationsSource from '../../../schema/operations/notifications.graphql?raw';
import orderListSource from '../../../schema/operations/order-list.graphql?raw';
import userDashboardSource from '../../../schema/operations/user-dashboard.graphql?raw';
import viewerSource from '../../../schema/operations/viewer.graphql?raw';
import { pickOperation } from './pick-operation';
import type * as T from './types';

export const LOGIN = pickOperation<T.LoginData, T.LoginVariables>(loginSource, 'Login');
export const LOGOUT = pickOperation<T.LogoutData, T.LogoutVariables>(loginSource, 'Logout');
export const REFRESH_SESSION = pickOperation<T.RefreshSessionData, T.RefreshSessionVariables>(loginSource, 'RefreshSession');
export const VIEWER = pickOperation<T.ViewerData, Record<string, never>>(viewerSource, 'Viewer');
export const ADMIN_DEVICE_LIST = pickOperation<T.AdminDeviceListData, T.AdminDeviceListVariables>(adminDeviceListSource, 'AdminDeviceList');
export const DEVICE_DETAIL = pickOperation<T.DeviceDetailData, T.DeviceDetailVariables>(deviceDetailSource, 'DeviceDetail');
export const START_DEVICE = pickOperation<T.DevicePowerData, T.DevicePowerVariables>(devicePowerSource, 'StartDevice');
export const STOP_DEVICE = pickOperation<T.DevicePowerData, T.DevicePowerVariables>(devicePowerSource, 'StopDevice');
export const DEVICE_STATUS_CHANGED = pickOperation<T.DeviceStatusChangedData, T.DeviceStatusChangedVariables>(deviceStatusSource, 'DeviceStatusChanged');
export const USER_DASHBOARD = pickOperation<T.UserDashboardData, T.UserDashboardVariables>(userDashboardSource, 'UserDashboard');
export const ORDER_LIST = pickOperation<T.OrderListData, T.OrderListVariables>(orderListSource, 'OrderList');
export const NOTIFICATION_CENTRE = pickOperation<T.NotificationCentreData, T.NotificationCentreVariables>(notificationsSource, 'NotificationCentre');
export const MARK_NOTIFICATION_READ = pickOperation<T.MarkNotificationReadData, T.MarkNotificationReadVariables>(notificationsSource, 'MarkNotificationRead');
export const MARK_ALL_NOTIFICATIONS_READ = pickOperation<T.MarkAllNotificationsReadData, T.MarkAllNotificationsReadVariables>(notificationsSource, 'MarkAllNotificationsRead');
