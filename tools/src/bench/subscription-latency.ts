import { performance } from 'node:perf_hooks';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GatewayAuth } from './gateway-auth.js';
import { type StatusChange, readDevice, toggleDevice } from './gateway-http.js';
import { WATCH_DEVICE, WATCH_EVENT_ONLY, type WatchResult, deliveryIsRight } from './subscription-protocol.js';

export interface LatencyResult {
  /** Milliseconds from just before the mutation was sent to the event at the client. */
  sentToEvent: number[];
  /** Milliseconds from the mutation's answer (read at the client) to the event at the client; negative when the event came first. */
  answeredToEvent: number[];
  /** The same for a subscriber of the event alone (no device selection, so no fetch through the gateway). */
  answeredToBareEvent: number[];
  /** Milliseconds for the device selection as an HTTP query, no event involved. */
  readDevice: number[];
  /** Events with errors or a device not yet in the event's status. */
  wrong: number;
  /** The device's status afterwards. */
  status: StatusChange['status'];
}

const EVENT_TIMEOUT_MS = 10_000;

/** Events of one subscription by occurredAt, with the time each arrived. */
class Arrivals {
  private readonly byKey = new Map<string, { at: number; right: boolean }>();
  private wake: (() => void) | undefined;
  private failure: string | undefined;
  readonly stop: () => void;

  constructor(client: Client, query: string, deviceId: string) {
    this.stop = client.subscribe<NonNullable<WatchResult['data']>>(
      { query, variables: { deviceId } },
      {
        next: (result) => {
          this.byKey.set(result.data?.deviceStatusChanged?.occurredAt ?? 'unidentified', { at: performance.now(), right: query !== WATCH_DEVICE || deliveryIsRight(result) });
          this.wake?.();
        },
        error: (error) => {
          this.failure = `the subscription failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
          this.wake?.();
        },
        complete: () => undefined,
      },
    );
  }

  async of(key: string, timeoutMs: number): Promise<{ at: number; right: boolean } | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (!this.byKey.has(key) && performance.now() < deadline) {
      if (this.failure) throw new Error(this.failure);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.max(1, deadline - performance.now()));
      });
    }
    return this.byKey.get(key);
  }
}

/**
 * On one graphql-ws socket, a subscriber of `deviceId` with the full selection
 * and one of the event alone; then `events` sequential stop/start mutations
 * over HTTP, each waiting for its own event at both (matched by occurredAt)
 * before the next is sent. A first, unmeasured change proves the subscriptions
 * are in place and warms the gateway's query plans. Last, the device selection
 * alone as HTTP queries, to tell the fetch's share of the event path.
 */
export async function measureLatency(options: { gatewayUrl: string; auth: GatewayAuth; deviceId: string; events: number; reads: number; status: StatusChange['status'] }): Promise<LatencyResult> {
  const { auth } = options;
  const client = createClient({ url: options.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: auth.connectionParams });
  const full = new Arrivals(client, WATCH_DEVICE, options.deviceId);
  const bare = new Arrivals(client, WATCH_EVENT_ONLY, options.deviceId);
  const result: LatencyResult = { sentToEvent: [], answeredToEvent: [], answeredToBareEvent: [], readDevice: [], wrong: 0, status: options.status };
  const change = async () => {
    const made = await toggleDevice(options.gatewayUrl, auth, options.deviceId, result.status === 'RUNNING' ? 'STOPPED' : 'RUNNING');
    result.status = made.status;
    return made;
  };
  try {
    // The subscribe message has no acknowledgement in graphql-ws: change the status until both subscribers hear it.
    for (let attempt = 1; ; attempt += 1) {
      const warmUp = await change();
      if ((await full.of(warmUp.changedAt, 1_000)) && (await bare.of(warmUp.changedAt, 1_000))) break;
      if (attempt === 10) throw new Error('no event reached the subscribers');
    }
    for (let index = 0; index < options.events; index += 1) {
      const made = await change();
      const event = await full.of(made.changedAt, EVENT_TIMEOUT_MS);
      const bareEvent = await bare.of(made.changedAt, EVENT_TIMEOUT_MS);
      if (!event || !bareEvent) throw new Error(`no event for the change to ${made.status} at ${made.changedAt} within ${EVENT_TIMEOUT_MS} ms`);
      result.sentToEvent.push(event.at - made.sentAt);
      result.answeredToEvent.push(event.at - made.answeredAt);
      result.answeredToBareEvent.push(bareEvent.at - made.answeredAt);
      if (!event.right) result.wrong += 1;
    }
    for (let index = 0; index < options.reads; index += 1) result.readDevice.push(await readDevice(options.gatewayUrl, auth, options.deviceId));
  } finally {
    full.stop();
    bare.stop();
    await client.dispose();
  }
  return result;
}
