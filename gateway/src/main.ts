import { createLogger } from '@cloudphone/observability';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';
import { reloadOnHangup } from './reload-on-hangup.js';
import { isClusterPrimary, reportWorkerReady, runPrimary } from './workers.js';

const config = loadGatewayConfig();
if (isClusterPrimary(config.workers)) {
  // GATEWAY_WORKERS > 1: this process forks the gateways and serves nothing itself.
  await runPrimary(config.workers, createLogger({ service: 'gateway', level: config.logLevel }));
  console.log(`gateway ready at http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/graphql (${config.workers} processes)`);
} else {
  const handle = await startGateway(config);
  reportWorkerReady();
  if (config.workers === 1) console.log(`gateway ready at ${handle.url}`);
  const shutdown = async (): Promise<void> => {
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  reloadOnHangup(handle);
}
