import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { loadSchedulerConfig, schedulerSubgraph } from './index.js';

await runSubgraphProcess(schedulerSubgraph, loadSchedulerConfig());
