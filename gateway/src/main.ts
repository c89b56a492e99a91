import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';
import { reloadOnHangup } from './reload-on-hangup.js';

const handle = await startGateway(loadGatewayConfig());
console.log(`gateway ready at ${handle.url}`);
const shutdown = async (): Promise<void> => {
  await handle.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
reloadOnHangup(handle);
