import { rm } from 'node:fs/promises';
import { loadLauncherConfig } from './config.js';
import { readRoverConfig } from './rover-config.js';

// `npm run reset`: wipes the embedded databases; the next start migrates and seeds again.
const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
const config = loadLauncherConfig(names);
await rm(config.dataDir, { recursive: true, force: true });
console.log(`removed ${config.dataDir}`);
