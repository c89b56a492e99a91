import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { appsSubgraph, loadAppsConfig } from './index.js';

const config = loadAppsConfig();
await runSubgraphProcess(appsSubgraph, { ...config, peers: { devices: config.devicesSubgraphUrl } });
