import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { ApolloServer } from '@apollo/server';
import { type GraphQLInputType, Kind, type OperationDefinitionNode, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, parse, typeFromAST } from 'graphql';
import { DEFAULT_OPERATION_MANIFEST } from './config.js';
import { type ManifestOperation, loadOperationManifest, sha256Hex } from './operation-manifest.js';
import { QueryPlanStore } from './query-plan-store.js';
import { QueryPlanWarmer, type WarmupLog } from './query-plan-warmup.js';

// Apollo's gateway would report usage to Apollo otherwise; these gateways never leave the process.
process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';

const supergraphSdl = await readFile(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)), 'utf8');
const manifest = await loadOperationManifest(DEFAULT_OPERATION_MANIFEST);
const httpOperations = manifest.filter((operation) => operation.type !== 'subscription');

const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

/** A value of `type`, with every required input field: the gateway checks variables before it looks a plan up. */
function sampleOf(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  if (isEnumType(nullable)) return nullable.getValues()[0]?.value;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(fields.map((field) => [field.name, sampleOf(field.type)]));
  }
  if (nullable.name === 'Int' || nullable.name === 'Float') return 1;
  if (nullable.name === 'Boolean') return true;
  return '00000000-0000-4000-8000-000000000000';
}

/** Values for the operation's required variables. */
function variablesOf(body: string): Record<string, unknown> {
  const definition = parse(body).definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
  const required = (definition?.variableDefinitions ?? []).filter((variable) => variable.type.kind === Kind.NON_NULL_TYPE && variable.defaultValue === undefined);
  return Object.fromEntries(required.map((variable) => [variable.variable.name.value, sampleOf(typeFromAST(apiSchema, variable.type) as GraphQLInputType)]));
}

/** A subgraph that answers nothing: these tests look at plan lookups, not at data. */
const silentSubgraph: GraphQLDataSource = { process: async () => ({ data: null }) };

function recordingLog(): WarmupLog & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (_fields, message) => void warnings.push(message), info: (_fields, message) => void infos.push(message) };
}

/**
 * The real gateway behind Apollo Server (which computes the queryHash the
 * gateway keys plans by), on the committed supergraph, with our plan store
 * and, when `warm`, the warm-up listening to its schema loads.
 */
async function gatewayWith(operations: readonly ManifestOperation[], warm: boolean) {
  const outcomes: ('hit' | 'miss')[] = [];
  const store = new QueryPlanStore(30, (outcome) => void outcomes.push(outcome));
  const plannerConfig = { cache: store };
  const log = recordingLog();
  const warmer = new QueryPlanWarmer({ store, operations, plannerConfig, log });
  const gateway = new ApolloGateway({ supergraphSdl, queryPlannerConfig: plannerConfig, buildService: () => silentSubgraph });
  if (warm) gateway.onSchemaLoadOrUpdate(warmer.onSchemaLoad);
  const server = new ApolloServer({ gateway });
  await server.start();
  const report = await warmer.settled();
  const send = async (operation: Pick<ManifestOperation, 'body' | 'name'>, named = true) => {
    await server.executeOperation({ query: operation.body, variables: variablesOf(operation.body), ...(named ? { operationName: operation.name } : {}) });
  };
  return { store, outcomes, log, report, send, stop: () => server.stop() };
}

test('the first request of every manifest query and mutation after start is a plan-store hit, named or not', async () => {
  const gateway = await gatewayWith(manifest, true);
  try {
    assert.equal(gateway.report.planned, httpOperations.length);
    assert.deepEqual(gateway.report.skipped, []);
    for (const operation of httpOperations) await gateway.send(operation);
    for (const operation of httpOperations) await gateway.send(operation, false);
    assert.deepEqual(gateway.outcomes, httpOperations.flatMap(() => ['hit', 'hit']));
    assert.match(gateway.log.infos.join('\n'), new RegExp(`query plan warm-up: ${httpOperations.length} operation\\(s\\) planned in \\d+ ms, 0 skipped`));
  } finally {
    await gateway.stop();
  }
});

test('without the warm-up the same first requests are misses (what the metric tells apart)', async () => {
  const gateway = await gatewayWith(manifest, false);
  try {
    for (const operation of httpOperations) await gateway.send(operation);
    assert.deepEqual(gateway.outcomes, httpOperations.map(() => 'miss'));
  } finally {
    await gateway.stop();
  }
});

test('an operation outside the manifest is planned on its first request and found on the next, beside warm ones', async () => {
  const gateway = await gatewayWith(manifest, true);
  try {
    const unknown = { name: 'OneDevice', body: 'query OneDevice { devices(first: 1) { totalCount } }' };
    const [warm] = httpOperations;
    assert.ok(warm);
    await gateway.send(warm);
    await gateway.send(unknown);
    await gateway.send(unknown);
    assert.deepEqual(gateway.outcomes, ['hit', 'miss', 'hit']);
  } finally {
    await gateway.stop();
  }
});

test('a manifest operation that no longer plans against the supergraph is skipped with a log line; the others are warm', async () => {
  const stale = { id: sha256Hex('query Gone { noSuchField }'), name: 'Gone', type: 'query' as const, body: 'query Gone { noSuchField }' };
  const gateway = await gatewayWith([stale, ...manifest], true);
  try {
    assert.equal(gateway.report.planned, httpOperations.length);
    assert.deepEqual(gateway.report.skipped.map((skipped) => skipped.name), ['Gone']);
    assert.match(gateway.log.warnings.join('\n'), /query plan warm-up: skipped Gone, it no longer plans against the supergraph/);
    for (const operation of httpOperations) await gateway.send(operation);
    assert.deepEqual(gateway.outcomes, httpOperations.map(() => 'hit'));
  } finally {
    await gateway.stop();
  }
});

test('a newer schema load stops an older warm-up before it writes into the cleared store', async () => {
  const store = new QueryPlanStore(30);
  const warmer = new QueryPlanWarmer({ store, operations: manifest, plannerConfig: { cache: store }, log: recordingLog() });
  warmer.onSchemaLoad({ coreSupergraphSdl: supergraphSdl });
  const first = warmer.settled();
  store.clear();
  warmer.onSchemaLoad({ coreSupergraphSdl: supergraphSdl });
  const older = await first;
  const newer = await warmer.settled();
  assert.equal(older.superseded, true);
  assert.ok(older.planned < httpOperations.length, `the older warm-up stopped early (${older.planned})`);
  assert.equal(newer.planned, httpOperations.length);
  assert.equal(store.size().plans, httpOperations.length * 2, 'each plan under its two keys, once');
});

test('the plan store holds at most its MiB of plans, as approximated by their JSON', async () => {
  const store = new QueryPlanStore(1);
  const plan = { kind: 'QueryPlan' as const, node: undefined, padding: 'x'.repeat(100_000) };
  for (let index = 0; index < 30; index += 1) await store.set(`plan-${index}`, plan);
  const { plans, bytes } = store.size();
  assert.ok(bytes <= 2 ** 20, `${bytes} bytes`);
  assert.ok(plans < 30 && plans >= 9, `${plans} plans kept`);
  assert.equal(await store.get('plan-0'), undefined, 'the least recently used went first');
});
