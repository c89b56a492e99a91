import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type SubgraphDatabase, openDatabase } from '@cloudphone/db';
import { type AnyEventEnvelope, type EventTransport, createEnvelope, createTransport, exponentialRetry } from '@cloudphone/events';
import type { Principal } from '@cloudphone/identity';
import { LoaderRegistry, type RequestContext, serviceContext } from '@cloudphone/subgraph-kit';
import { eq } from 'drizzle-orm';
import { migrationsFolder } from '../database/migrations.js';
import { notificationTemplates, notifications } from '../database/schema.js';
import { seedNotifications } from '../database/seed.js';
import type { NotificationProvider, OutgoingMessage } from '../delivery/notification-provider.js';
import { PreferencesRepository } from '../preferences/preferences.repository.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { TemplatesRepository } from '../templates/templates.repository.js';
import { TemplatesService } from '../templates/templates.service.js';
import { NotificationChannel, NotificationType } from './models/notification-kinds.js';
import { NotificationSender } from './notification-sender.service.js';
import { NotificationsConsumer } from './notifications.consumer.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { NotifierService } from './notifier.service.js';

const TENANT = '0c0c0000-0000-4000-8000-00000000000f';
const user = (n: number) => `0c0c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Refuses the first `failures` sends, then records every message. */
class FlakyProvider implements NotificationProvider {
  attempts = 0;
  readonly sent: OutgoingMessage[] = [];
  constructor(public failures: number) {}
  async send(message: OutgoingMessage): Promise<void> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('provider unavailable');
    }
    this.sent.push(message);
  }
}

let database: SubgraphDatabase;
let transport: EventTransport;
let provider: FlakyProvider;
let consumer: NotificationsConsumer;
let service: NotificationsService;
let preferences: PreferencesService;

function context(): RequestContext {
  return serviceContext('notifications', 'test');
}

function userCreated(userId: string, displayName: string): AnyEventEnvelope {
  return createEnvelope('user.created', { userId, tenantId: TENANT, username: `u${userId.slice(-4)}`, email: `${userId.slice(-4)}@example.com`, displayName, status: 'ACTIVE', version: 1 }, { source: 'users' });
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function rowsOf(eventId: string) {
  return database.background.select().from(notifications).where(eq(notifications.sourceEventId, eventId));
}

before(async () => {
  database = await openDatabase({ service: 'notifications', target: { kind: 'pglite' }, migrationsFolder });
  transport = createTransport({ namespace: `notifications-test-${randomUUID()}`, retry: exponentialRetry(5, 10, 1) });
  provider = new FlakyProvider(0);
  const repository = new NotificationsRepository(database);
  preferences = new PreferencesService(new PreferencesRepository(database));
  const notifier = new NotifierService(repository, preferences, new TemplatesService(new TemplatesRepository(database)));
  consumer = new NotificationsConsumer(database, transport, notifier, new NotificationSender(repository, provider));
  service = new NotificationsService(repository);
  await consumer.onApplicationBootstrap();
});

after(async () => {
  await consumer?.onApplicationShutdown();
  await transport?.close();
  await database?.close();
});

test('the migrations bring an IN_APP and an EMAIL template for every type', async () => {
  const rows = await database.background.select().from(notificationTemplates);
  assert.equal(rows.length, Object.keys(NotificationType).length * 2);
  for (const type of Object.values(NotificationType)) {
    for (const channel of [NotificationChannel.IN_APP, NotificationChannel.EMAIL]) {
      assert.ok(rows.some((row) => row.type === type && row.channel === channel), `${type}/${channel}`);
    }
  }
});

test('user.created stores a WELCOME row per channel and sends the EMAIL after the commit', async () => {
  const envelope = userCreated(user(1), 'Ada L.');
  await transport.publish(envelope);
  await eventually(async () => provider.sent.some((message) => message.sourceEventId === envelope.id), 'the e-mail');
  const rows = await rowsOf(envelope.id);
  assert.deepEqual(rows.map((row) => row.channel).sort(), ['EMAIL', 'IN_APP']);
  const inApp = rows.find((row) => row.channel === 'IN_APP');
  assert.equal(inApp?.title, 'Welcome, Ada L.!');
  assert.equal(inApp?.type, 'WELCOME');
  assert.equal(inApp?.severity, 'INFO');
  assert.deepEqual(inApp?.data, { displayName: 'Ada L.', username: 'u0001' });
  assert.ok(rows.every((row) => row.deliveredAt !== null));
  assert.ok(rows.every((row) => row.tenantId === TENANT), 'the tenant of the envelope, for TENANT scopes');
  const email = provider.sent.find((message) => message.sourceEventId === envelope.id);
  assert.equal(email?.channel, 'EMAIL');
  assert.equal(email?.title, 'Welcome to Cloudphone, Ada L.');
});

test('a failed send is retried without duplicating rows, and a redelivered event sends nothing twice', async () => {
  provider.failures = 2;
  const attemptsBefore = provider.attempts;
  const envelope = userCreated(user(2), 'Bob');
  await transport.publish(envelope);
  await eventually(async () => provider.sent.some((message) => message.sourceEventId === envelope.id), 'the e-mail after retries');
  assert.equal(provider.attempts - attemptsBefore, 3, 'two refusals, then accepted');
  assert.equal((await rowsOf(envelope.id)).length, 2);

  await transport.publish(envelope);
  await transport.publish(envelope);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await rowsOf(envelope.id)).length, 2, 'no duplicate rows');
  assert.equal(provider.sent.filter((message) => message.sourceEventId === envelope.id).length, 1, 'no second e-mail');
  assert.equal(provider.attempts - attemptsBefore, 3);
});

test('a display name that looks like a placeholder stays text', async () => {
  const envelope = userCreated(user(3), '{{secret}}');
  await transport.publish(envelope);
  await eventually(async () => (await rowsOf(envelope.id)).length === 2, 'the rows');
  const inApp = (await rowsOf(envelope.id)).find((row) => row.channel === 'IN_APP');
  assert.equal(inApp?.title, 'Welcome, {{secret}}!');
});

test('a disabled preference stores nothing; quiet hours keep a WELCOME in the app only', async () => {
  await preferences.update(context(), { userId: user(4), type: NotificationType.WELCOME, enabled: false, channels: [NotificationChannel.IN_APP], timeZone: 'UTC' });
  const off = userCreated(user(4), 'Off');
  await transport.publish(off);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await rowsOf(off.id)).length, 0);

  // A window of all day but one minute: quiet now, whatever the clock says.
  const now = new Date();
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  await preferences.update(context(), {
    userId: user(5),
    type: NotificationType.WELCOME,
    enabled: true,
    channels: [NotificationChannel.EMAIL, NotificationChannel.SMS],
    quietHoursStart: (minute + 1439) % 1440,
    quietHoursEnd: (minute + 1438) % 1440,
    timeZone: 'utc',
  });
  const quiet = userCreated(user(5), 'Quiet');
  await transport.publish(quiet);
  await eventually(async () => (await rowsOf(quiet.id)).length > 0, 'the in-app row');
  assert.deepEqual((await rowsOf(quiet.id)).map((row) => row.channel), ['IN_APP']);
});

test('preferences are validated: minutes, both bounds or neither, a real time zone', async () => {
  const base = { userId: user(6), type: NotificationType.BALANCE_LOW, enabled: true, channels: [NotificationChannel.IN_APP], timeZone: 'UTC' };
  const badInput = (field: string) => (error: unknown) => (error as { code?: string; details?: Record<string, unknown> }).code === 'BAD_USER_INPUT' && (error as { details: Record<string, unknown> }).details['field'] === field;
  await assert.rejects(preferences.update(context(), { ...base, quietHoursStart: 1440, quietHoursEnd: 10 }), badInput('quietHoursStart'));
  await assert.rejects(preferences.update(context(), { ...base, quietHoursStart: 10 }), badInput('quietHoursEnd'));
  await assert.rejects(preferences.update(context(), { ...base, quietHoursEnd: 10 }), badInput('quietHoursStart'));
  await assert.rejects(preferences.update(context(), { ...base, timeZone: 'Mars/Olympus_Mons' }), badInput('timeZone'));
  await assert.rejects(preferences.update(context(), { ...base, timeZone: '+01:00' }), badInput('timeZone'));
  const saved = await preferences.update(context(), { ...base, quietHoursStart: 1320, quietHoursEnd: 420, timeZone: 'europe/berlin' });
  assert.deepEqual([saved.quietHoursStart, saved.quietHoursEnd, saved.timeZone], [1320, 420, 'Europe/Berlin']);
});

test('User.notifications and unreadNotificationCount cost one statement each for 1 or 20 users', async () => {
  const base = new Date('2025-01-01T00:00:00Z').getTime();
  const seeded = Array.from({ length: 20 }, (_, u) =>
    Array.from({ length: u % 4 }, (_, n) => ({
      userId: user(100 + u),
      type: 'ORDER_PAID' as const,
      channel: n === 2 ? ('EMAIL' as const) : ('IN_APP' as const),
      severity: 'INFO' as const,
      title: `t${n}`,
      body: 'b',
      createdAt: new Date(base + n * 60_000),
      readAt: n === 1 ? new Date(base) : null,
    })),
  ).flat();
  await seedNotifications(database, { notifications: seeded, preferences: [] });

  const resolve = async (count: number) => {
    const request = context();
    const ids = Array.from({ length: count }, (_, u) => user(100 + u));
    return database.statements.measure(() =>
      Promise.all(ids.map(async (id) => ({ id, page: await service.ofUser(request, id, { first: 10 }, false), unread: await service.unreadCount(request, id) }))),
    );
  };
  const one = await resolve(1);
  const twenty = await resolve(20);
  assert.equal(one.statements, 2);
  assert.equal(twenty.statements, 2);
  const third = twenty.result[3];
  // user 103 has three rows: IN_APP t0 (unread), IN_APP t1 (read), EMAIL t2 (not listed).
  assert.deepEqual(third?.page.edges.map((edge) => edge.node.title), ['t1', 't0'], 'newest first, IN_APP only');
  assert.equal(third?.page.totalCount, 2);
  assert.equal(third?.unread, 1);

  const unreadOnly = await service.ofUser(context(), user(103), { first: 10 }, true);
  assert.deepEqual(unreadOnly.edges.map((edge) => edge.node.title), ['t0']);

  const firstPage = await service.ofUser(context(), user(103), { first: 1 }, false);
  assert.equal(firstPage.pageInfo.hasNextPage, true);
  const secondPage = await service.ofUser(context(), user(103), { first: 1, after: firstPage.pageInfo.endCursor }, false);
  assert.deepEqual(secondPage.edges.map((edge) => edge.node.title), ['t0']);
  assert.equal(secondPage.pageInfo.hasNextPage, false);
});

test('markRead is idempotent and NOT_FOUND for a missing id; markAllRead counts what changed', async () => {
  const page = await service.ofUser(context(), user(102), { first: 10 }, true);
  const target = page.edges[0]?.node;
  assert.ok(target);
  const first = await service.markRead(context(), target.id);
  const again = await service.markRead(context(), target.id);
  assert.ok(first.readAt);
  assert.equal(again.readAt?.getTime(), first.readAt.getTime());
  await assert.rejects(service.markRead(context(), randomUUID()), (error: unknown) => (error as { code?: string }).code === 'NOT_FOUND');
  assert.equal(await service.markAllRead(context(), user(103)), 1);
  assert.equal(await service.markAllRead(context(), user(103)), 0);
  assert.equal(await service.unreadCount(context(), user(103)), 0);
});

/** A signed-in user with the default grants of USER (SELF) or ADMIN (TENANT) on notifications. */
function as(role: 'USER' | 'ADMIN', userId: string, tenantId: string): RequestContext {
  const principal: Principal = {
    kind: 'user',
    userId,
    tenantId,
    roles: [role],
    policy: { permissions: ['notification:read', 'notification:write'], dataScopes: { notification: role === 'USER' ? 'SELF' : 'TENANT' }, fieldRules: {} },
    credentialId: null,
    service: null,
  };
  return { requestId: 'test', principal, loaders: new LoaderRegistry() };
}

test('data scopes: a USER reaches its own notifications only, an ADMIN its tenant\'s; rows without a tenant only their user', async () => {
  const OTHER_TENANT = '0c0c0000-0000-4000-8000-0000000000f2';
  const forbidden = (error: unknown) => (error as { code?: string }).code === 'FORBIDDEN';
  // user(1) got a WELCOME (tenant TENANT) above; users 100+ have seeded rows without a tenant.
  const [welcome] = (await service.ofUser(context(), user(1), { first: 1 }, false)).edges;
  assert.ok(welcome);

  const stranger = as('USER', user(2), TENANT);
  assert.equal((await service.ofUser(stranger, user(1), { first: 10 }, false)).totalCount, 0, "User(1).notifications as user 2: none of user 1's");
  assert.equal(await service.unreadCount(stranger, user(1)), 0);
  assert.equal(await service.unreadCount(as('USER', user(1), TENANT), user(1)), 1);
  await assert.rejects(service.byId(stranger, welcome.node.id), forbidden);
  await assert.rejects(service.markRead(stranger, welcome.node.id), forbidden);
  await assert.rejects(service.markAllRead(stranger, user(1)), forbidden);
  assert.equal((await service.byId(as('USER', user(1), TENANT), welcome.node.id))?.id, welcome.node.id);

  const admin = as('ADMIN', user(9), TENANT);
  assert.equal((await service.ofUser(admin, user(1), { first: 10 }, false)).totalCount, 1);
  assert.equal((await service.byId(admin, welcome.node.id))?.id, welcome.node.id);
  await assert.rejects(service.byId(as('ADMIN', user(9), OTHER_TENANT), welcome.node.id), forbidden);
  assert.equal((await service.ofUser(admin, user(103), { first: 10 }, false)).totalCount, 0, 'no tenant: out of TENANT scope');
  assert.equal((await service.ofUser(as('USER', user(103), TENANT), user(103), { first: 10 }, false)).totalCount, 2, 'but its own user sees it');

  const preference = { userId: user(1), type: NotificationType.BALANCE_LOW, enabled: true, channels: [NotificationChannel.IN_APP], timeZone: 'UTC' };
  assert.equal((await preferences.update(admin, preference)).userId, user(1), "the ADMIN of user 1's tenant");
  await assert.rejects(preferences.update(as('ADMIN', user(9), OTHER_TENANT), preference), forbidden);
  await assert.rejects(preferences.update(stranger, preference), forbidden);
  await assert.rejects(preferences.update(admin, { ...preference, userId: user(103) }), forbidden, 'a user whose tenant is unknown here');
});
