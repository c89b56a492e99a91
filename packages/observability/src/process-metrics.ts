import { isMainThread } from 'node:worker_threads';
import { Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, event loop, handles), collected
 * once per process whatever number of services it hosts: the stack runs its
 * subgraphs as worker threads of one process, whose figures are the
 * process's. Undefined in a worker thread; the main thread's services serve
 * them. Registered on the first call: calling again returns the same registry.
 */
export function processMetrics(): Registry | undefined {
  if (!isMainThread) return undefined;
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
