import 'reflect-metadata';
import { runSubgraphProcess } from '@cloudphone/subgraph-kit';
import { loadNotificationsConfig, notificationsSubgraph } from './index.js';

await runSubgraphProcess(notificationsSubgraph, loadNotificationsConfig());
