import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { loadGatewayConfig } from './config.js';

test('GATEWAY_WORKERS: one process by default, a number, or one per core; more than one needs Redis to share state', () => {
  assert.equal(loadGatewayConfig({}).workers, 1);
  assert.equal(loadGatewayConfig({ GATEWAY_WORKERS: '3', REDIS_URL: 'redis://127.0.0.1:6379' }).workers, 3);
  assert.equal(loadGatewayConfig({ GATEWAY_WORKERS: 'auto', REDIS_URL: 'redis://127.0.0.1:6379' }).workers, availableParallelism());
  assert.throws(() => loadGatewayConfig({ GATEWAY_WORKERS: '2' }), /GATEWAY_WORKERS: more than one process needs REDIS_URL/);
  assert.throws(() => loadGatewayConfig({ GATEWAY_WORKERS: '0', REDIS_URL: 'redis://127.0.0.1:6379' }), /GATEWAY_WORKERS/);
  assert.throws(() => loadGatewayConfig({ GATEWAY_WORKERS: 'many', REDIS_URL: 'redis://127.0.0.1:6379' }), /GATEWAY_WORKERS/);
});
