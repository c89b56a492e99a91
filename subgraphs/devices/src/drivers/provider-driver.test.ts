import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceRow } from '../database/schema.js';
import { SimulatedProviderDriver } from './provider-driver.js';

const device = { id: '6f1c1d2e-0000-4000-8000-000000000001', provider: 'REDROID', status: 'CREATING' } as DeviceRow;

test('the simulated driver brings phones up after its delay with an ADB endpoint, and fails at its failure rate', async () => {
  const rolls = [0.9, 0.1];
  const driver = new SimulatedProviderDriver({ provisionDelayMs: 30, failureRate: 0.5, random: () => rolls.shift() ?? 0 });
  const started = Date.now();
  const up = await driver.provision(device);
  assert.ok(Date.now() - started >= 25);
  assert.deepEqual(up.ok && { host: up.adbHost.endsWith('.sim.internal'), port: up.adbPort > 5555 }, { host: true, port: true });
  assert.deepEqual(await driver.provision(device), { ok: false, reason: 'the provider could not start the phone' });
});

test('installs need a RUNNING phone', async () => {
  const driver = new SimulatedProviderDriver({ provisionDelayMs: 0, failureRate: 0 });
  assert.deepEqual(await driver.install({ ...device, status: 'RUNNING' }, 'com.example', 1), { ok: true });
  assert.deepEqual(await driver.install({ ...device, status: 'STOPPED' }, 'com.example', 1), { ok: false, reason: 'device is STOPPED, not RUNNING' });
});

test('simulated health: a healthy phone stays healthy, a failed one stays failed, and probes fail at the configured rate', async () => {
  const calm = new SimulatedProviderDriver({ provisionDelayMs: 0, failureRate: 0, healthFailureRate: 0 });
  assert.deepEqual(await calm.health({ ...device, status: 'RUNNING', healthScore: 95 }), { healthy: true, score: 95 });
  assert.deepEqual(await calm.health({ ...device, status: 'ERROR', healthScore: 10 }), { healthy: false, score: 10 });
  const flaky = new SimulatedProviderDriver({ provisionDelayMs: 0, failureRate: 0, healthFailureRate: 1, random: () => 0.5 });
  assert.equal((await flaky.health({ ...device, status: 'RUNNING', healthScore: 95 })).healthy, false);
});

test('simulated teardown releases a phone once per device id; a phone provisioned again is released again; refusals release nothing', async () => {
  const driver = new SimulatedProviderDriver({ provisionDelayMs: 0, failureRate: 0 });
  assert.deepEqual(await driver.teardown(device), { ok: true });
  assert.deepEqual(await driver.teardown(device), { ok: true });
  assert.equal(driver.releases.get(device.id), 1);
  await driver.provision(device);
  await driver.teardown(device);
  assert.equal(driver.releases.get(device.id), 2);
  const refusing = new SimulatedProviderDriver({ provisionDelayMs: 0, failureRate: 0, teardownFailureRate: 1, random: () => 0.5 });
  assert.deepEqual(await refusing.teardown(device), { ok: false, reason: 'the provider could not release the phone' });
  assert.equal(refusing.releases.size, 0);
});
