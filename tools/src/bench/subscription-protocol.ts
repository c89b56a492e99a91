/** What the subscription benchmark's processes say to each other over their IPC channels. */

/** What every benchmark subscriber selects of the device: devices, users and apps subgraphs. */
const DEVICE_SELECTION = '{ status user { email } applications { status application { name } } }';

/** The subscription every benchmark subscriber holds: the event and its device. */
export const WATCH_DEVICE = `subscription Watch($deviceId: ID!) {
  deviceStatusChanged(deviceId: $deviceId) { status occurredAt device ${DEVICE_SELECTION} }
}`;

/** The event alone, without the device: no fetch through the gateway, so it times the event's own path. */
export const WATCH_EVENT_ONLY = 'subscription WatchEvent($deviceId: ID!) { deviceStatusChanged(deviceId: $deviceId) { status occurredAt } }';

/** The same device selection as an HTTP query: what resolving it costs without any event. */
export const READ_DEVICE = `query ReadDevice($deviceId: ID!) { device(id: $deviceId) ${DEVICE_SELECTION} }`;

/** One delivery of WATCH_DEVICE, as far as the benchmark checks it. */
export interface WatchResult {
  data?: { deviceStatusChanged?: { status?: string; occurredAt?: string; device?: { status?: string; user?: { email?: string } | null } | null } } | null;
  errors?: readonly unknown[];
}

/** A delivery is right when it has no errors and its device is already in the event's status with its owner resolved. */
export function deliveryIsRight(result: WatchResult): boolean {
  const event = result.data?.deviceStatusChanged;
  return result.errors === undefined && event?.status !== undefined && event.device?.status === event.status && typeof event.device.user?.email === 'string';
}

/** The gateway process -> the benchmark. */
export type GatewayMessage =
  | { type: 'ready'; url: string }
  | { type: 'memory'; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };

/** The benchmark -> the gateway process. */
export type GatewayRequest = { type: 'memory' } | { type: 'close' };

/** The benchmark -> a subscriber process. */
export type SubscriberRequest = { type: 'tally'; key: string } | { type: 'close' };

/** A subscriber process -> the benchmark. Times are wall-clock milliseconds (Date.now()), comparable across processes. */
export type SubscriberMessage =
  | { type: 'subscribed'; sockets: number; failed: number }
  /** Every subscriber of this process has received the event `key` (its occurredAt). */
  | { type: 'complete'; key: string; first: number; last: number; wrong: number }
  | { type: 'tally'; key: string; received: number; wrong: number }
  | { type: 'closed'; errors: number };
