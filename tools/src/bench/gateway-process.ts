import { loadGatewayConfig, startGateway } from '@cloudphone/gateway';
import type { GatewayMessage, GatewayRequest } from './subscription-protocol.js';

/**
 * The gateway as its own OS process for the subscription benchmark, so that
 * its memory is measured alone: the same startGateway as gateway/src/main.ts,
 * plus an IPC channel to report readiness and process.memoryUsage().
 */
const send = (message: GatewayMessage): void => {
  process.send?.(message);
};
if (!process.send) throw new Error('gateway-process runs as a forked child with an IPC channel');

const handle = await startGateway(loadGatewayConfig(process.env));
process.on('message', (request: GatewayRequest) => {
  if (request.type === 'memory') {
    // Run with --expose-gc: a full collection first, so heapUsed is what the subscribers keep alive, not garbage.
    globalThis.gc?.();
    send({ type: 'memory', ...process.memoryUsage() });
    return;
  }
  void handle.close().finally(() => process.exit(0));
});
send({ type: 'ready', url: handle.url });
