import { Worker } from 'node:worker_threads';
import type { SubgraphWorkerData, WorkerMessage, WorkerRequest } from './protocol.js';

const WORKER_FILE = new URL('./subgraph-worker.js', import.meta.url);

export interface SubgraphThread {
  readonly name: string;
  readonly url: string;
  readonly seeded: boolean;
  readonly databaseKind: string;
  /** SQL statements the subgraph has sent so far. */
  statements(): Promise<number>;
  /** Stops serving, closes the database (flushing embedded data) and ends the thread. */
  close(): Promise<void>;
}

function spawn(data: SubgraphWorkerData): Worker {
  return new Worker(WORKER_FILE, { workerData: data });
}

function firstMessage(worker: Worker, name: string): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${name} subgraph thread crashed: ${error.message}`));
    const onExit = (code: number) => reject(new Error(`${name} subgraph thread exited with code ${code} before it was ready`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerMessage) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (message.type === 'failed') reject(new Error(`${name} subgraph failed to start: ${message.message}\n${message.stack ?? ''}`));
      else resolve(message);
    });
  });
}

/** Prints a subgraph's SDL in a fresh thread. */
export async function printSubgraphInThread(name: string, peers: string[]): Promise<string> {
  const worker = spawn({ mode: 'print', name, peers });
  const message = await firstMessage(worker, name);
  await worker.terminate();
  if (message.type !== 'printed') throw new Error(`${name}: unexpected message ${message.type}`);
  return message.sdl;
}

/** Starts a subgraph in its own thread; resolves once it serves. */
export async function startSubgraphThread(data: Extract<SubgraphWorkerData, { mode: 'serve' }>): Promise<SubgraphThread> {
  const worker = spawn(data);
  const ready = await firstMessage(worker, data.name);
  if (ready.type !== 'ready') throw new Error(`${data.name}: unexpected message ${ready.type}`);
  let nextId = 0;
  let closed: Promise<void> | undefined;
  const ask = (type: WorkerRequest['type']): Promise<number | null> =>
    new Promise((resolve, reject) => {
      const id = (nextId += 1);
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'reply' && message.id === id) {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          resolve(message.value);
        }
      };
      const onExit = () => reject(new Error(`${data.name} subgraph thread exited`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ id, type } satisfies WorkerRequest);
    });
  return {
    name: data.name,
    url: ready.url,
    seeded: ready.seeded,
    databaseKind: ready.databaseKind,
    statements: async () => (await ask('statements')) ?? 0,
    close: () => {
      closed ??= ask('close').then(async () => {
        await worker.terminate();
      });
      return closed;
    },
  };
}
