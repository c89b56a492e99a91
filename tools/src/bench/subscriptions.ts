import os from 'node:os';
import { throwawayPostgres } from '@cloudphone/testing';
import { loadBenchConfig } from '../config.js';
import { buildDemoDataset } from '../seed/dataset.js';
import { type SubgraphFleet, startSubgraphs } from '../stack/stack.js';
import { gatewayEnvironment } from '../stack/gateway-main.js';
import { readRoverConfig } from '../rover-config.js';
import { signInAsDemoAdmin } from './gateway-auth.js';
import { type GatewayChild, startGatewayChild } from './gateway-child.js';
import { measureFanOut } from './subscription-fanout.js';
import { measureLatency } from './subscription-latency.js';
import { postgresUrlOf, serverVersions } from './servers.js';
import { subscriptionsSection } from './subscription-report.js';

export interface SubscriptionBenchOptions {
  /** Sequential mutations timed end to end with one subscriber. */
  events: number;
  /** graphql-ws sockets (one subscription each) held at once. */
  subscribers: number;
  /** Status changes fanned out to every subscriber. */
  fanOutEvents: number;
  /** Client processes the subscribers are spread over. */
  clientProcesses: number;
  /** --max-old-space-size for the gateway process; V8's default when undefined. */
  gatewayHeapMib: number | undefined;
}

/**
 * deviceStatusChanged through the gateway on real PostgreSQL and RabbitMQ:
 * the subgraphs in worker threads of this process (as `npm start` runs them),
 * the gateway in a process of its own so that its memory is its own.
 */
export async function benchSubscriptions(options: SubscriptionBenchOptions): Promise<string> {
  // Taken before anything starts: how busy the machine already was (other work skews every figure).
  const loadBefore = os.loadavg()[0] ?? Number.NaN;
  const config = loadBenchConfig();
  const run = Date.now().toString(36);
  const dataset = buildDemoDataset();
  const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING' && dataset.apps.installs.some((install) => install.deviceId === candidate.id));
  if (!device?.id) throw new Error('the demo seed has a RUNNING device with installs');
  const databases = throwawayPostgres(config.postgresUrl, (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name));
  try {
    const subgraphs = await startSubgraphs({ databases: databases.targets, ports: { kind: 'free' }, host: '127.0.0.1', seed: { ...dataset }, events: { amqpUrl: config.amqpUrl, namespace: `bench-${run}` } });
    try {
      const gateway = await startGatewayFor(subgraphs, config.amqpUrl, options.gatewayHeapMib);
      try {
        // Once, before anything is measured: every mutation, query and socket of the run uses this token.
        const auth = await signInAsDemoAdmin(gateway.url);
        const versions = `${await serverVersions(postgresUrlOf(databases.targets['devices']), config.amqpUrl)}, @apollo/gateway 2.14, graphql-ws 6.3 + ws 8.22 (server and client)`;
        console.log(`gateway pid ${gateway.pid} at ${gateway.url}; ${options.events} timed changes...`);
        const latency = await measureLatency({ gatewayUrl: gateway.url, auth, deviceId: device.id, events: options.events, reads: Math.ceil(options.events / 5), status: 'RUNNING' });
        console.log(`${options.subscribers} subscribers over ${options.clientProcesses} processes, ${options.fanOutEvents} changes...`);
        const fanOut = await measureFanOut({ gateway, auth, deviceId: device.id, subscribers: options.subscribers, processes: options.clientProcesses, events: options.fanOutEvents, status: latency.status });
        return subscriptionsSection({ options, versions, loadBefore, latency, fanOut });
      } finally {
        await gateway.close();
      }
    } finally {
      await subgraphs.close();
    }
  } finally {
    await databases.drop();
  }
}

/** The gateway process in front of the subgraphs, configured through its environment as in production (their shared secret included). */
function startGatewayFor(subgraphs: SubgraphFleet, amqpUrl: string, heapMib: number | undefined): Promise<GatewayChild> {
  const env = gatewayEnvironment({ urls: subgraphs.urls, internalSecret: subgraphs.internalSecret, events: { amqpUrl, namespace: subgraphs.events.namespace } });
  return startGatewayChild({ ...env, GATEWAY_PORT: '0' }, heapMib);
}
