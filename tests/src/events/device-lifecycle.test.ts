import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type EventTransport, createEnvelope, createTransport } from '@cloudphone/events';
import { type GraphQLResult, graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { eventually } from '../support/events.js';
import { type TestStack, preferredKind, startTestStack } from '../support/stack.js';

const dataset = buildDemoDataset();
let stack: TestStack | undefined;
let publisher: EventTransport | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset }, {}, { amqpUrl: await realRabbitMq(), retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
  assert.ok(stack);
  publisher = createTransport({ amqpUrl: stack.events.amqpUrl, namespace: stack.events.namespace });
});
after(async () => {
  await publisher?.close();
  await stack?.close();
});

function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  assert.ok(stack);
  return graphql<T>(stack.gatewayUrl, query, variables, stack.admin.headers);
}

function runningDevice(index: number) {
  const device = dataset.devices.devices.filter((candidate) => candidate.status === 'RUNNING')[index];
  assert.ok(device?.id);
  return device as typeof device & { id: string };
}

const CHANGE = (mutation: string) => `mutation($id: ID!) { ${mutation}(id: $id) { id status version } }`;

test('devices move along the lifecycle; an illegal move is BAD_USER_INPUT and changes nothing', async () => {
  const device = runningDevice(0);
  const stopped = await call<{ stopDevice: { status: string; version: number } }>(CHANGE('stopDevice'), { id: device.id });
  assert.equal(stopped.errors, undefined, JSON.stringify(stopped.errors));
  assert.equal(stopped.data?.stopDevice.status, 'STOPPED');

  const again = await call(CHANGE('stopDevice'), { id: device.id });
  assert.equal(again.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.match(again.errors?.[0]?.message ?? '', /STOPPED device cannot become STOPPED/);

  const started = await call<{ startDevice: { status: string; version: number } }>(CHANGE('startDevice'), { id: device.id });
  assert.equal(started.data?.startDevice.status, 'RUNNING');
  assert.ok((started.data?.startDevice.version ?? 0) > (stopped.data?.stopDevice.version ?? 0));

  const deleted = await call<{ deleteDevice: { status: string } }>(CHANGE('deleteDevice'), { id: device.id });
  assert.equal(deleted.data?.deleteDevice.status, 'DELETED');
  const revived = await call(CHANGE('startDevice'), { id: device.id });
  assert.equal(revived.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const state = await call<{ device: { status: string } }>('query($id: ID!) { device(id: $id) { status } }', { id: device.id });
  assert.equal(state.data?.device.status, 'DELETED');

  const missing = await call(CHANGE('stopDevice'), { id: randomUUID() });
  assert.equal(missing.errors?.[0]?.extensions?.code, 'DEVICE_NOT_FOUND');
});

test('an install request travels to the devices side and comes back INSTALLED', async () => {
  const device = runningDevice(1);
  const installed = new Set(dataset.apps.installs.filter((install) => install.deviceId === device.id).map((install) => install.applicationId));
  const application = dataset.apps.applications.find((candidate) => candidate.status === 'AVAILABLE' && !installed.has(candidate.id ?? ''));
  assert.ok(application?.id);
  const requested = await call<{ installApplication: { id: string; status: string } }>(
    'mutation($device: ID!, $app: ID!) { installApplication(input: { deviceId: $device, applicationId: $app }) { id status } }',
    { device: device.id, app: application.id },
  );
  assert.equal(requested.errors, undefined, JSON.stringify(requested.errors));
  assert.equal(requested.data?.installApplication.status, 'PENDING');
  const installId = requested.data?.installApplication.id;
  await eventually(
    async () => (await call<{ deviceApplication: { status: string } }>('query($id: ID!) { deviceApplication(id: $id) { status } }', { id: installId })).data?.deviceApplication.status === 'INSTALLED',
    'the install completed',
  );
});

test('an install the device cannot carry out fails, and its owner is notified', async () => {
  assert.ok(publisher);
  const device = dataset.devices.devices.find((candidate) => candidate.status === 'STOPPED');
  assert.ok(device?.id);
  const unread = async () => (await call<{ user: { unreadNotificationCount: number; notifications: { edges: { node: { type: string; body: string } }[] } } }>(
    'query($id: ID!) { user(id: $id) { unreadNotificationCount notifications(first: 1) { edges { node { type body } } } } }',
    { id: device.userId },
  )).data?.user;
  const before = (await unread())?.unreadNotificationCount ?? 0;
  await publisher.publish(
    createEnvelope('app.install.requested', { installId: randomUUID(), deviceId: device.id, applicationId: randomUUID(), userId: device.userId, packageName: 'com.example.app', versionCode: 1 }, { source: 'apps' }),
  );
  await eventually(async () => ((await unread())?.unreadNotificationCount ?? 0) === before + 1, 'the owner was notified of the failed install');
  const latest = (await unread())?.notifications.edges[0]?.node;
  assert.equal(latest?.type, 'INSTALL_FAILED');
  assert.match(latest?.body ?? '', /STOPPED/);
});

test('a new device comes up asynchronously: CREATING at once, then RUNNING with an ADB endpoint', async () => {
  const owner = dataset.users.users.find((user) => user.status === 'ACTIVE');
  const template = dataset.devices.templates[0];
  const created = await call<{ createDevice: { id: string; status: string; adbEndpoint: string | null } }>(
    'mutation($user: ID!, $template: ID!) { createDevice(input: { userId: $user, name: "fresh-phone", templateId: $template }) { id status adbEndpoint } }',
    { user: owner?.id, template: template?.id },
  );
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  assert.equal(created.data?.createDevice.status, 'CREATING');
  assert.equal(created.data?.createDevice.adbEndpoint, null);
  const id = created.data?.createDevice.id;
  const read = async () => (await call<{ device: { status: string; adbEndpoint: string | null } }>('query($id: ID!) { device(id: $id) { status adbEndpoint } }', { id })).data?.device;
  await eventually(async () => (await read())?.status === 'RUNNING', 'the device is provisioned', 15_000);
  assert.match((await read())?.adbEndpoint ?? '', /^redroid-[0-9a-f]{8}\.sim\.internal:\d+$/);
});

test('restart stops and starts a RUNNING device; batch actions report each device on its own', async () => {
  const device = runningDevice(2);
  const before = await call<{ device: { version: number } }>('query($id: ID!) { device(id: $id) { version } }', { id: device.id });
  const restarted = await call<{ restartDevice: { status: string; version: number } }>(CHANGE('restartDevice'), { id: device.id });
  assert.equal(restarted.errors, undefined, JSON.stringify(restarted.errors));
  assert.equal(restarted.data?.restartDevice.status, 'RUNNING');
  assert.equal(restarted.data?.restartDevice.version, (before.data?.device.version ?? 0) + 2, 'two status changes: STOPPED, then RUNNING');

  const stopped = dataset.devices.devices.find((candidate) => candidate.status === 'STOPPED');
  const unknown = randomUUID();
  const batch = await call<{ stopDevices: { id: string; device: { status: string } | null; error: { code: string } | null }[] }>(
    'mutation($ids: [ID!]!) { stopDevices(ids: $ids) { id device { status } error { code } } }',
    { ids: [device.id, stopped?.id, unknown] },
  );
  assert.equal(batch.errors, undefined, JSON.stringify(batch.errors));
  assert.deepEqual(batch.data?.stopDevices, [
    { id: device.id, device: { status: 'STOPPED' }, error: null },
    { id: stopped?.id, device: null, error: { code: 'BAD_USER_INPUT' } },
    { id: unknown, device: null, error: { code: 'DEVICE_NOT_FOUND' } },
  ]);
  const tooMany = await call('mutation($ids: [ID!]!) { stopDevices(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => randomUUID()) });
  assert.equal(tooMany.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});
