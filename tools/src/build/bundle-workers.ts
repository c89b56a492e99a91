import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { readRoverConfig } from '../rover-config.js';
import { BUILD_RECORDS_FILE, WORKER_BUNDLES_DIR } from '../stack/worker-bundles.js';

/**
 * Bundles each subgraph's worker into one CommonJS file,
 * tools/dist/workers/<name>.cjs. A plain worker thread loads about 2,800
 * module files, and resolving, reading and linking them is most of its start:
 * the devices thread printing its schema took 930 ms plain, 470 ms bundled
 * and 290 ms bundled with the code cache (idle machine). A stack starts six, so this is most of what a test stack or `npm
 * start` spends before it serves. CommonJS because V8 can then keep the
 * compiled code between starts (bundled-worker.ts); Node 20 offers no code
 * cache for ES modules. Run after tsc (the tools' build script).
 */
const outdir = fileURLToPath(WORKER_BUNDLES_DIR);
const runtime = fileURLToPath(new URL('../stack/subgraph-worker-runtime.js', import.meta.url));

/**
 * Packages loaded from node_modules rather than bundled: PGlite, ioredis and
 * argon2 find files beside their own modules (the WASM image, package.json,
 * the native addon); pino starts transport threads by file name;
 * OpenTelemetry loads only when tracing is on, and its API keeps one global
 * registration the SDK must share. `assertNoModuleDirectories` below catches
 * a new dependency that needs to join them.
 */
const EXTERNAL_PACKAGES = new Set(['@electric-sql/pglite', 'ioredis', 'argon2', 'pino', 'thread-stream']);
const EXTERNAL_SCOPES = ['@opentelemetry/'];

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const isExternal = (specifier: string): boolean => EXTERNAL_PACKAGES.has(packageOf(specifier)) || EXTERNAL_SCOPES.some((scope) => specifier.startsWith(scope));

/**
 * An external import resolves as it would from the module that makes it, not
 * from the bundle's folder: packages install several versions side by side
 * (the root has OpenTelemetry 1.x for one dependency, the observability
 * package its own 2.x). Node's own resolver finds the file (esbuild's honours
 * a "module" condition Node ignores: OpenTelemetry's API would load a build
 * Node cannot run), which the bundle requires by a path relative to itself.
 */
const externalsWhereImported: Plugin = {
  name: 'externals-where-imported',
  setup(builder) {
    builder.onResolve({ filter: /^[@a-z]/ }, (args) => {
      if (!isExternal(args.path)) return undefined;
      let file: string;
      try {
        // In a CommonJS bundle every import of an external, static or dynamic, becomes a require.
        file = createRequire(args.importer).resolve(args.path);
      } catch {
        return { path: args.path, external: true };
      }
      const relative = path.relative(outdir, file).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};

const ENTRY_NAMESPACE = 'subgraph-worker-entry';

/** The entry of one subgraph's bundle: the worker runtime, handed that subgraph's definition. */
function entrySource(name: string): string {
  return [
    `import { ${name}Subgraph as definition } from '@cloudphone/${name}-subgraph';`,
    `import { runSubgraphWorker } from ${JSON.stringify(runtime)};`,
    // The loader (bundled-worker.ts) awaits the worker's body through module.exports; CommonJS has no top-level await.
    `export default runSubgraphWorker(async (name) => {`,
    `  if (name !== definition.name) throw new Error('this worker bundle holds the ' + definition.name + ' subgraph, not ' + name);`,
    `  return definition;`,
    `});`,
  ].join('\n');
}

const workerEntries: Plugin = {
  name: 'subgraph-worker-entries',
  setup(builder) {
    builder.onResolve({ filter: /^subgraph-worker:/ }, (args) => ({ path: args.path.slice('subgraph-worker:'.length), namespace: ENTRY_NAMESPACE }));
    builder.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({ contents: entrySource(args.path), resolveDir: path.dirname(runtime), loader: 'js' }));
  },
};

/**
 * Our own modules find files relative to themselves (migrations, the committed
 * supergraph, helper workers): `import.meta.url` keeps meaning the module's
 * original address, written relative to the bundle so the tree can move.
 */
const ownModuleUrls: Plugin = {
  name: 'own-module-urls',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, __bundleUrl).href`), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * An optional peer a bundled package imports only when used (Nest's
 * microservices and websockets, ts-morph, Apollo's Fastify integration) is
 * not installed: it stays an import that fails at run time, as it does
 * unbundled, instead of failing the build.
 */
const optionalPeersExternal: Plugin = {
  name: 'optional-peers-external',
  setup(builder) {
    builder.onResolve({ filter: /^[@a-z]/ }, async (args) => {
      if (args.namespace !== 'file' || args.pluginData === 'probe') return undefined;
      const found = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'probe' });
      return found.errors.length > 0 ? { path: args.path, external: true } : found;
    });
  },
};

/**
 * A CommonJS module that reads `__dirname` or `__filename` gets the bundle's
 * folder in a bundle, not its package's, and finds the wrong files (or none)
 * only when that line runs. The build fails instead, naming the modules
 * (esbuild heads each one's code with a `// <path>` comment).
 */
async function assertNoModuleDirectories(files: readonly string[]): Promise<void> {
  const offenders = new Set<string>();
  for (const file of files) {
    let module: string | undefined;
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line.startsWith('// ')) module = line.slice(3);
      // Before the first module comment is the banner, which reads the bundle's own __filename.
      else if (module !== undefined && /\b__(dirname|filename)\b/.test(line)) offenders.add(module);
    }
  }
  if (offenders.size > 0) {
    throw new Error(`these bundled modules read __dirname or __filename, which in a bundle name the bundle's folder; add their packages to EXTERNAL_PACKAGES:\n  ${[...offenders].join('\n  ')}`);
  }
}

/**
 * The tsc build records (`dist/.tsbuildinfo`) of every workspace the bundles
 * hold: tsc rewrites one whenever it recompiles that workspace, so a record
 * newer than the bundles means a lone `tsc -b` ran after them, and a stack
 * runs the plain workers rather than stale bundles (`worker-bundles.ts`).
 */
async function recordCompiledSources(inputs: readonly string[]): Promise<void> {
  const repoRoot = path.resolve(outdir, '..', '..', '..');
  const workspaces = new Set<string>();
  for (const input of inputs) {
    // esbuild names inputs relative to the working folder; virtual entries have a namespace prefix and match nothing.
    const fromRoot = path.relative(repoRoot, path.resolve(input)).split(path.sep).join('/');
    const match = /^((?:packages|subgraphs)\/[^/]+|tools|gateway)\/dist\//.exec(fromRoot);
    if (match?.[1]) workspaces.add(match[1]);
  }
  const records = [...workspaces].sort().map((workspace) => path.relative(outdir, path.join(repoRoot, workspace, 'dist', '.tsbuildinfo')).split(path.sep).join('/'));
  await writeFile(path.join(outdir, BUILD_RECORDS_FILE), `${JSON.stringify(records, null, 2)}\n`);
}

const names = (await readRoverConfig()).subgraphs.map((subgraph) => subgraph.name);
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: names.map((name) => ({ in: `subgraph-worker:${name}`, out: name })),
  outdir,
  bundle: true,
  // One self-contained file per subgraph: a thread loads one file (esbuild splits only ES module output anyway).
  splitting: false,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node20',
  // A dynamic import() of an external becomes a require, which a vm.Script (the loader) can run without an
  // experimental dynamic-import hook; the externals are CommonJS or ship a CommonJS build.
  supported: { 'dynamic-import': false },
  // A package's own import.meta.url (createRequire and the like) is the bundle's address.
  define: { 'import.meta.url': '__bundleUrl' },
  // NestJS and @nestjs/graphql name things after classes (providers in errors, code-first types without an explicit name).
  keepNames: true,
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [workerEntries, externalsWhereImported, ownModuleUrls, optionalPeersExternal],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
});
// Any other use of import.meta (dirname, resolve) would be empty in CommonJS: a build error, not a run-time one.
const emptyImportMeta = result.warnings.filter((warning) => warning.id === 'empty-import-meta');
if (emptyImportMeta.length > 0) {
  throw new Error(`import.meta beyond .url does not survive a CommonJS bundle:\n  ${emptyImportMeta.map((warning) => `${warning.location?.file ?? '?'}:${warning.location?.line ?? '?'}`).join('\n  ')}`);
}
await assertNoModuleDirectories(Object.keys(result.metafile.outputs));
await recordCompiledSources(Object.keys(result.metafile.inputs));
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundled ${names.length} subgraph workers from ${inputs} modules into ${path.relative(process.cwd(), outdir)}`);
