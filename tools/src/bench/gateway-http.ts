import { performance } from 'node:perf_hooks';
import type { GatewayAuth } from './gateway-auth.js';
import { READ_DEVICE } from './subscription-protocol.js';

/** One status change of a device, as the benchmark sent it over HTTP to the gateway. */
export interface StatusChange {
  status: 'RUNNING' | 'STOPPED';
  /** The device's statusChangedAt after the change: the occurredAt of the event it causes. */
  changedAt: string;
  /** performance.now() just before the request was sent and once its answer was read. */
  sentAt: number;
  answeredAt: number;
  /** Date.now() once the answer was read, to compare with times taken in other processes. */
  answeredWallClock: number;
}

/** Stops a RUNNING device or starts a STOPPED one through the gateway, as the signed-in `auth`. */
export async function toggleDevice(gatewayUrl: string, auth: GatewayAuth, deviceId: string, to: StatusChange['status']): Promise<StatusChange> {
  const mutation = to === 'STOPPED' ? 'stopDevice' : 'startDevice';
  const body = JSON.stringify({ query: `mutation($id: ID!) { ${mutation}(id: $id) { status statusChangedAt } }`, variables: { id: deviceId } });
  const sentAt = performance.now();
  const response = await fetch(gatewayUrl, { method: 'POST', headers: auth.httpHeaders, body });
  const answer = (await response.json()) as { data?: Record<string, { status: string; statusChangedAt: string } | undefined> | null; errors?: unknown };
  const answeredAt = performance.now();
  const device = answer.data?.[mutation];
  if (device?.status !== to) throw new Error(`${mutation} answered ${JSON.stringify(answer)}`);
  return { status: to, changedAt: device.statusChangedAt, sentAt, answeredAt, answeredWallClock: Date.now() };
}

/** Milliseconds for one `device(id:)` query with the subscribers' selection, over HTTP at the gateway, as the signed-in `auth`. */
export async function readDevice(gatewayUrl: string, auth: GatewayAuth, deviceId: string): Promise<number> {
  const body = JSON.stringify({ query: READ_DEVICE, variables: { deviceId } });
  const sentAt = performance.now();
  const response = await fetch(gatewayUrl, { method: 'POST', headers: auth.httpHeaders, body });
  const answer = (await response.json()) as { data?: { device?: unknown } | null; errors?: unknown };
  const elapsed = performance.now() - sentAt;
  if (!answer.data?.device || answer.errors !== undefined) throw new Error(`device(id:) answered ${JSON.stringify(answer)}`);
  return elapsed;
}
