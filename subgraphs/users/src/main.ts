import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { loadUsersConfig, usersSubgraph } from './index.js';

await runSubgraphProcess(usersSubgraph, loadUsersConfig());
