import { performance } from 'node:perf_hooks';
import type { GatewayAuth } from './gateway-auth.js';
import { type StatusChange, toggleDevice } from './gateway-http.js';
import type { GatewayChild, GatewayMemory, ProcessUsage } from './gateway-child.js';
import { type Delivery, startSubscriberFleet } from './subscriber-fleet.js';

export interface FanOutEvent {
  delivery: Delivery;
  /** Milliseconds from the mutation's answer to the first and to the last subscriber's delivery (wall clock, across processes). */
  toFirst: number;
  toLast: number;
  /** CPU the gateway process spent (all threads, so GC helpers too) from just before the mutation until the last delivery. */
  gatewayCpuMs: number;
}

export interface FanOutResult {
  subscribers: number;
  sockets: number;
  failedSockets: number;
  connectSeconds: number;
  /** Unmeasured changes it took until one reached every subscriber (graphql-ws does not acknowledge a subscribe). */
  warmUps: number;
  idle: { memory: GatewayMemory; usage: ProcessUsage };
  held: { memory: GatewayMemory; usage: ProcessUsage };
  after: { memory: GatewayMemory; usage: ProcessUsage };
  events: FanOutEvent[];
  clients: ProcessUsage[];
  clientErrors: number;
}

const WARM_UP_LIMIT = 10;
const DELIVERY_TIMEOUT_MS = 60_000;
// Long enough for one fan-out to every subscriber; shorter than a measured one, as a miss here only means "not subscribed yet".
const WARM_UP_TIMEOUT_MS = 20_000;

/** Waits (at most 30 s) until the gateway has caught up: under 5% of a CPU over half a second, e.g. once closed sockets are cleaned up. */
async function quiet(gateway: GatewayChild): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 500) {
    const before = (await gateway.usage()).cpuMs;
    await new Promise((resolve) => setTimeout(resolve, 500));
    if ((await gateway.usage()).cpuMs - before <= 25) return;
  }
}

/**
 * `subscribers` graphql-ws sockets on one device, spread over client
 * processes; then `events` sequential status changes, each awaited at every
 * subscriber before the next. Gateway memory is read idle (no subscriber,
 * after the latency run warmed it), holding every subscriber, and at the end.
 */
export async function measureFanOut(options: {
  gateway: GatewayChild;
  /** The signed-in benchmark: its mutations and every subscriber's socket. */
  auth: GatewayAuth;
  deviceId: string;
  subscribers: number;
  processes: number;
  events: number;
  status: StatusChange['status'];
}): Promise<FanOutResult> {
  const { gateway, auth } = options;
  const snapshot = async () => {
    await quiet(gateway);
    return { memory: await gateway.memory(), usage: await gateway.usage() };
  };
  let status = options.status;
  const change = async () => {
    const cpuBefore = (await gateway.usage()).cpuMs;
    const result = await toggleDevice(gateway.url, auth, options.deviceId, status === 'RUNNING' ? 'STOPPED' : 'RUNNING');
    status = result.status;
    return { ...result, cpuBefore };
  };

  const idle = await snapshot();
  const connecting = performance.now();
  const fleet = await startSubscriberFleet({ wsUrl: gateway.url.replace(/^http/, 'ws'), authorization: auth.authorization, deviceId: options.deviceId, subscribers: options.subscribers, processes: options.processes });
  const connectSeconds = (performance.now() - connecting) / 1000;
  const events: FanOutEvent[] = [];
  let warmUps = 0;
  let held = idle;
  let clients: ProcessUsage[] = [];
  let clientErrors = 0;
  try {
    for (;;) {
      warmUps += 1;
      const warmUp = await change();
      if ((await fleet.delivery(warmUp.changedAt, WARM_UP_TIMEOUT_MS)).received === options.subscribers) break;
      if (warmUps === WARM_UP_LIMIT) throw new Error(`no change reached all ${options.subscribers} subscribers in ${WARM_UP_LIMIT} tries`);
    }
    held = await snapshot();
    for (let index = 0; index < options.events; index += 1) {
      const event = await change();
      const delivery = await fleet.delivery(event.changedAt, DELIVERY_TIMEOUT_MS);
      const cpuAfter = (await gateway.usage()).cpuMs;
      events.push({
        delivery,
        toFirst: (delivery.first ?? Number.NaN) - event.answeredWallClock,
        toLast: (delivery.last ?? Number.NaN) - event.answeredWallClock,
        gatewayCpuMs: cpuAfter - event.cpuBefore,
      });
    }
    clients = await fleet.usage();
  } finally {
    clientErrors = (await fleet.close()).errors;
  }
  return { subscribers: options.subscribers, sockets: fleet.sockets, failedSockets: fleet.failed, connectSeconds, warmUps, idle, held, after: await snapshot(), events, clients, clientErrors };
}
