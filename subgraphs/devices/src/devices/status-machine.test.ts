import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, statesBefore } from './status-machine.js';

test('the lifecycle allows exactly the documented transitions', () => {
  const allowed = ['CREATING>RUNNING', 'CREATING>ERROR', 'CREATING>DELETED', 'RUNNING>STOPPED', 'RUNNING>ERROR', 'RUNNING>DELETED', 'STOPPED>RUNNING', 'STOPPED>DELETED', 'ERROR>RUNNING', 'ERROR>DELETED'];
  const states = ['CREATING', 'RUNNING', 'STOPPED', 'ERROR', 'DELETED'] as const;
  for (const from of states) {
    for (const to of states) assert.equal(canTransition(from, to), allowed.includes(`${from}>${to}`), `${from} -> ${to}`);
  }
});

test('a device starts from STOPPED or ERROR (and CREATING, by provisioning), stops only when RUNNING, and is deleted from anything but DELETED', () => {
  assert.deepEqual(statesBefore('RUNNING').sort(), ['CREATING', 'ERROR', 'STOPPED']);
  assert.deepEqual(statesBefore('STOPPED'), ['RUNNING']);
  assert.deepEqual(statesBefore('DELETED').sort(), ['CREATING', 'ERROR', 'RUNNING', 'STOPPED']);
});
