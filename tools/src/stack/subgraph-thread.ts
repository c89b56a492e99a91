import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { RecordedStatement } from '@cloudphone/db';
import type { SubgraphWorkerData, WorkerMessage, WorkerQuestion, WorkerRequest } from './protocol.js';
import { workerFileFor } from './worker-bundles.js';

export interface SubgraphThread {
  readonly name: string;
  readonly url: string;
  readonly seeded: boolean;
  readonly databaseKind: string;
  /** SQL statements the subgraph has sent so far. */
  statements(): Promise<number>;
  /** Starts keeping the statements the subgraph sends while serving requests (text and params), or stops and forgets them. Off by default. */
  recordStatements(on: boolean): Promise<void>;
  /** The statements sent since `recordStatements(true)`; rejects when recording is off or overflowed. */
  recordedStatements(): Promise<RecordedStatement[]>;
  /** The last lines (up to 100) the subgraph wrote to stderr, where its JSON log lines go; all are passed on to this process's stderr. */
  output(): string[];
  /** Stops serving, closes the database (flushing embedded data) and ends the thread. */
  close(): Promise<void>;
}

const KEPT_LINES = 100;

function spawn(data: SubgraphWorkerData, options: { stderr?: boolean; file?: URL } = {}): Worker {
  return new Worker(options.file ?? workerFileFor(data.name), { workerData: data, stderr: options.stderr ?? false });
}

/** Passes a serving thread's stderr on, line by line, keeping the last lines for `output()`. */
function followStderr(worker: Worker): string[] {
  const lines: string[] = [];
  createInterface({ input: worker.stderr, crlfDelay: Infinity }).on('line', (line) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
    process.stderr.write(`${line}\n`);
  });
  return lines;
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

/** Prints a subgraph's SDL in a fresh thread (running `workerFile` when given, else its bundle or the plain worker). */
export async function printSubgraphInThread(name: string, peers: string[], workerFile?: URL): Promise<string> {
  const worker = spawn({ mode: 'print', name, peers }, workerFile ? { file: workerFile } : {});
  const message = await firstMessage(worker, name);
  await worker.terminate();
  if (message.type !== 'printed') throw new Error(`${name}: unexpected message ${message.type}`);
  return message.sdl;
}

/** Starts a subgraph in its own thread; resolves once it serves. */
export async function startSubgraphThread(data: Extract<SubgraphWorkerData, { mode: 'serve' }>): Promise<SubgraphThread> {
  const worker = spawn(data, { stderr: true });
  const lines = followStderr(worker);
  const ready = await firstMessage(worker, data.name);
  if (ready.type !== 'ready') throw new Error(`${data.name}: unexpected message ${ready.type}`);
  let nextId = 0;
  let closed: Promise<void> | undefined;
  type Reply = Extract<WorkerMessage, { type: 'reply' }>['value'];
  const ask = (question: WorkerQuestion): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const id = (nextId += 1);
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'reply' && message.id === id) {
          settle();
          resolve(message.value);
        } else if (message.type === 'reply-error' && message.id === id) {
          settle();
          reject(new Error(`${data.name}: ${message.message}`));
        }
      };
      const onExit = () => reject(new Error(`${data.name} subgraph thread exited`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ ...question, id } satisfies WorkerRequest);
    });
  return {
    name: data.name,
    url: ready.url,
    seeded: ready.seeded,
    databaseKind: ready.databaseKind,
    statements: async () => {
      const value = await ask({ type: 'statements' });
      return typeof value === 'number' ? value : 0;
    },
    recordStatements: async (on) => {
      await ask({ type: 'record-statements', on });
    },
    recordedStatements: async () => {
      const value = await ask({ type: 'recorded-statements' });
      return Array.isArray(value) ? value : [];
    },
    output: () => [...lines],
    close: () => {
      closed ??= ask({ type: 'close' }).then(async () => {
        await worker.terminate();
      });
      return closed;
    },
  };
}
