import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { appsSubgraph, loadAppsConfig } from './index.js';

await runSubgraphProcess(appsSubgraph, loadAppsConfig());
