import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_OPERATION_MANIFEST, loadGatewayConfig } from './config.js';

test('QUERY_PLAN_CACHE_MIB sizes the plan store (30 MiB as Apollo by default); the manifest is the committed one and warms unless turned off', () => {
  assert.deepEqual(loadGatewayConfig({}).queryPlans, { cacheMiB: 30, warmup: true });
  assert.equal(loadGatewayConfig({}).operationManifestPath, DEFAULT_OPERATION_MANIFEST);
  assert.match(DEFAULT_OPERATION_MANIFEST, /schema\/operations\/manifest\.json$/);
  assert.deepEqual(loadGatewayConfig({ QUERY_PLAN_CACHE_MIB: '64', QUERY_PLAN_WARMUP: 'false' }).queryPlans, { cacheMiB: 64, warmup: false });
  assert.equal(loadGatewayConfig({ OPERATION_MANIFEST_PATH: '' }).operationManifestPath, undefined);
  for (const bad of ['0', '-1', '1.5', 'lots', '5000']) assert.throws(() => loadGatewayConfig({ QUERY_PLAN_CACHE_MIB: bad }), /QUERY_PLAN_CACHE_MIB/);
  assert.throws(() => loadGatewayConfig({ QUERY_PLAN_WARMUP: 'yes' }), /QUERY_PLAN_WARMUP/);
});
