import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { eventually } from '../support/events.js';
import { type TestStack, preferredKind, startTestStack } from '../support/stack.js';

const dataset = buildDemoDataset();
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset }, {}, { amqpUrl: await realRabbitMq(), retry: { maxAttempts: 5, baseMs: 50, factor: 2 } });
});
after(async () => {
  await stack?.close();
});

interface Inbox {
  user: { unreadNotificationCount: number; notifications: { totalCount: number; edges: { node: { type: string; severity: string; title: string } }[] } } | null;
}
const INBOX = 'query($id: ID!) { user(id: $id) { unreadNotificationCount notifications(first: 10) { totalCount edges { node { type severity title } } } } }';

test('a new user gets a welcome notification through user.created, and can mark it read', async () => {
  assert.ok(stack);
  const tenant = dataset.users.tenants[0];
  const created = await graphql<{ createUser: { id: string } }>(
    stack.gatewayUrl,
    'mutation($tenant: ID!) { createUser(input: { tenantId: $tenant, username: "new.arrival", email: "new.arrival@example.com", displayName: "New Arrival" }) { id } }',
    { tenant: tenant?.id }, stack.admin.headers,
  );
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const id = created.data?.createUser.id;
  assert.ok(id);
  const url = stack.gatewayUrl;
  const headers = stack.admin.headers;
  await eventually(async () => (await graphql<Inbox>(url, INBOX, { id }, headers)).data?.user?.unreadNotificationCount === 1, 'the welcome notification arrived');
  const inbox = await graphql<Inbox>(url, INBOX, { id }, stack.admin.headers);
  assert.deepEqual(inbox.data?.user?.notifications.edges.map((edge) => edge.node), [{ type: 'WELCOME', severity: 'INFO', title: 'Welcome, New Arrival!' }]);

  const marked = await graphql<{ markAllNotificationsRead: number }>(url, 'mutation($id: ID!) { markAllNotificationsRead(userId: $id) }', { id }, stack.admin.headers);
  assert.equal(marked.data?.markAllNotificationsRead, 1);
  assert.equal((await graphql<Inbox>(url, INBOX, { id }, stack.admin.headers)).data?.user?.unreadNotificationCount, 0);
});

test("the seeded notifications show on a user's page, newest first", async () => {
  assert.ok(stack);
  const user = dataset.users.users[0];
  const expected = dataset.notifications.notifications
    .filter((notification) => notification.userId === user?.id)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  const inbox = await graphql<Inbox>(stack.gatewayUrl, INBOX, { id: user?.id }, stack.admin.headers);
  assert.equal(inbox.errors, undefined, JSON.stringify(inbox.errors));
  assert.equal(inbox.data?.user?.notifications.totalCount, expected.length);
  assert.deepEqual(inbox.data?.user?.notifications.edges.map((edge) => edge.node.title), expected.slice(0, 10).map((notification) => notification.title));
  assert.equal(inbox.data?.user?.unreadNotificationCount, expected.filter((notification) => notification.readAt === null).length);
});
