import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { devicesSubgraph, loadDevicesConfig } from './index.js';

await runSubgraphProcess(devicesSubgraph, loadDevicesConfig());
