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
