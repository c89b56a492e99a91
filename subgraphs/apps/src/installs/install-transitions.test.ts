import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '@cloudphone/errors';
import { INSTALL_TRANSITIONS, REINSTALLABLE_STATUSES, assertInstallTransition, canTransition } from './install-transitions.js';
import { InstallStatus } from './models/device-application.model.js';

const ALL = Object.values(InstallStatus);

test('an install goes PENDING -> INSTALLING -> INSTALLED or FAILED, or straight to its result', () => {
  assert.ok(canTransition(InstallStatus.PENDING, InstallStatus.INSTALLING));
  assert.ok(canTransition(InstallStatus.PENDING, InstallStatus.INSTALLED));
  assert.ok(canTransition(InstallStatus.PENDING, InstallStatus.FAILED));
  assert.ok(canTransition(InstallStatus.INSTALLING, InstallStatus.INSTALLED));
  assert.ok(canTransition(InstallStatus.INSTALLING, InstallStatus.FAILED));
});

test('an installed application goes INSTALLED -> UNINSTALLING -> UNINSTALLED', () => {
  assert.ok(canTransition(InstallStatus.INSTALLED, InstallStatus.UNINSTALLING));
  assert.ok(canTransition(InstallStatus.UNINSTALLING, InstallStatus.UNINSTALLED));
});

test('no other transition is allowed', () => {
  const allowed = new Set(['PENDING>INSTALLING', 'PENDING>INSTALLED', 'PENDING>FAILED', 'INSTALLING>INSTALLED', 'INSTALLING>FAILED', 'INSTALLED>UNINSTALLING', 'UNINSTALLING>UNINSTALLED']);
  for (const from of ALL) {
    for (const to of ALL) assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} -> ${to}`);
  }
});

test('every state has an entry in the transition map', () => {
  assert.deepEqual(Object.keys(INSTALL_TRANSITIONS).sort(), [...ALL].sort());
});

test('FAILED and UNINSTALLED are final for transitions but may be requested again', () => {
  assert.deepEqual(INSTALL_TRANSITIONS[InstallStatus.FAILED], []);
  assert.deepEqual(INSTALL_TRANSITIONS[InstallStatus.UNINSTALLED], []);
  assert.deepEqual([...REINSTALLABLE_STATUSES].sort(), [InstallStatus.FAILED, InstallStatus.UNINSTALLED]);
});

test('a refused transition is BAD_USER_INPUT that names both states', () => {
  assert.doesNotThrow(() => assertInstallTransition(InstallStatus.PENDING, InstallStatus.INSTALLING));
  assert.throws(
    () => assertInstallTransition(InstallStatus.PENDING, InstallStatus.UNINSTALLING),
    (error: unknown) =>
      error instanceof AppError && error.code === 'BAD_USER_INPUT' && /PENDING cannot become UNINSTALLING/.test(error.userMessage) && error.details['status'] === 'PENDING',
  );
  assert.throws(() => assertInstallTransition(InstallStatus.UNINSTALLED, InstallStatus.PENDING), /it is final/);
});
