import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadOperations } from './governance/inputs.js';
import { MANIFEST_FILE, buildOperationManifest } from './operation-manifest.js';

// `npm run schema:manifest`: writes schema/operations/manifest.json, the committed operations as Apollo Client sends them.
const manifest = await buildOperationManifest(await loadOperations());
await writeFile(MANIFEST_FILE, manifest);
console.log(`wrote ${path.relative(process.cwd(), MANIFEST_FILE)} (${(JSON.parse(manifest) as { operations: unknown[] }).operations.length} operations)`);
