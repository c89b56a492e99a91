import { workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

// Runs initdb for one embedded data folder, then exits (see embedded-init.ts).
const { dataDir } = workerData as { dataDir: string };
const client = await PGlite.create({ dataDir });
await client.close();
