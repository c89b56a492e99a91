import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDemoDataset } from '@cloudphone/tools';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from './support/events.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';
import { listen, setDeviceRunning } from './support/subscriptions.js';

const dataset = buildDemoDataset();
const device = dataset.devices.devices.find((candidate) => candidate.status === 'RUNNING');
let stack: TestStack | undefined;
let client: Client | undefined;
const socketEvents: string[] = [];

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
  assert.ok(stack);
  client = createClient({
    url: stack.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${stack.admin.accessToken}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { connected: () => void socketEvents.push('connected'), closed: () => void socketEvents.push('closed') },
  });
});
after(async () => {
  await client?.dispose();
  await stack?.close();
});

const DEEP = `device { ${'user { devices(first: 1) { edges { node { '.repeat(2)}user { tenant { id } }${' } } } }'.repeat(2)} }`;

const INVALID: { name: string; query: string; variables?: Record<string, unknown>; code: string; message: RegExp }[] = [
  { name: 'unparsable', query: 'subscription { deviceStatusChanged { status ', code: 'GRAPHQL_PARSE_FAILED', message: /Syntax Error/ },
  { name: 'unknown field', query: 'subscription { deviceStatusChanged { status colour } }', code: 'GRAPHQL_VALIDATION_FAILED', message: /Cannot query field "colour"/ },
  { name: 'unknown argument', query: 'subscription { deviceStatusChanged(serial: "x") { status } }', code: 'GRAPHQL_VALIDATION_FAILED', message: /Unknown argument "serial"/ },
  { name: 'argument of the wrong type', query: 'subscription { deviceStatusChanged(deviceId: { id: 1 }) { status } }', code: 'GRAPHQL_VALIDATION_FAILED', message: /ID cannot represent/ },
  { name: 'malformed id', query: 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status } }', variables: { id: 'not-a-uuid' }, code: 'BAD_USER_INPUT', message: /"deviceId" is not a valid ID/ },
  { name: 'variable of the wrong type', query: 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { status } }', variables: { id: { nested: true } }, code: 'BAD_USER_INPUT', message: /\$id/ },
  { name: 'too deep', query: `subscription { deviceStatusChanged { status ${DEEP} } }`, code: 'QUERY_TOO_COMPLEX', message: /depth limit of 12 exceeded, found 13/ },
  { name: 'a query', query: '{ devices(first: 1) { totalCount } }', code: 'BAD_USER_INPUT', message: /Only subscriptions/ },
];

test('each invalid subscription gets its error with a code over the socket, and the same socket then serves a valid one', async () => {
  assert.ok(stack && client && device?.id);
  for (const invalid of INVALID) {
    const heard = await listen(client, invalid.query, invalid.variables ?? {}, 0);
    await eventually(() => heard.errors !== undefined || heard.results.length > 0, `an answer to the ${invalid.name} subscription`);
    // A refusal is an `error` message, or (for what fails at execution) one result with errors.
    const errors = heard.errors ?? heard.results[0]?.errors;
    assert.equal(errors?.[0]?.extensions?.['code'], invalid.code, `${invalid.name}: ${JSON.stringify(errors)}`);
    assert.match(errors?.[0]?.message ?? '', invalid.message, invalid.name);
    assert.equal(typeof errors?.[0]?.extensions?.['requestId'], 'string', invalid.name);
    assert.doesNotMatch(JSON.stringify(errors), /stacktrace|at .*\.js/, 'no internals reach the client');
  }
  assert.deepEqual(socketEvents, ['connected'], 'one socket throughout, never closed');

  const valid = await listen(client, 'subscription($id: ID) { deviceStatusChanged(deviceId: $id) { previousStatus status device { name } } }', { id: device.id });
  await setDeviceRunning(stack.gatewayUrl, stack.admin.headers, device.id, false);
  await eventually(() => valid.results.length === 1, 'the valid subscription hears the change');
  assert.deepEqual(valid.results[0], { data: { deviceStatusChanged: { previousStatus: 'RUNNING', status: 'STOPPED', device: { name: device.name } } } });
  assert.deepEqual(socketEvents, ['connected']);
  assert.equal(stack.gateway.stats().subscriptions, 1, 'the refused subscriptions hold nothing open');
  valid.stop();
});
