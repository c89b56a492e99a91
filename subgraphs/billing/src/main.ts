import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { billingSubgraph, loadBillingConfig } from './index.js';

await runSubgraphProcess(billingSubgraph, loadBillingConfig());
