import { loadConsoleConfig } from './config.js';
import { repoPath } from './paths.js';
import { startConsoleServer } from './stack/console-server.js';

// The web console on its own (production: its container in docker-compose), in front of a gateway elsewhere.
const config = loadConsoleConfig();
const server = await startConsoleServer({ root: repoPath('web', 'dist'), gatewayUrl: config.gatewayUrl, host: config.host, port: config.port });
console.log(`console ready at ${server.url} (/graphql -> ${config.gatewayUrl})`);
const stop = async (): Promise<void> => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
