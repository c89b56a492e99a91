import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GatewayHandle } from '@cloudphone/gateway';
import { graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type SignedIn, signIn } from './support/auth.js';
import { type TestStack, preferredKind, startReplica, startTestStack } from './support/stack.js';

// test-isolation: exclusive (it asserts a revocation takes effect within a second)

// Revocation must reach every gateway replica within a second: the stack's gateway and a second one
// beside it, sharing only Redis (in process when no Redis is configured, outside CI).
const dataset = buildDemoDataset();
const tenantId = dataset.users.tenants[0]?.id;
let stack: TestStack | undefined;
let replica: GatewayHandle | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
  assert.ok(stack);
  replica = await startReplica(stack);
});
after(async () => {
  await replica?.close();
  await stack?.close();
});

function gateways(): string[] {
  assert.ok(stack && replica);
  return [stack.gatewayUrl, replica.url];
}

const me = (url: string, account: SignedIn) => graphql<{ me: { id: string } | null }>(url, '{ me { id } }', {}, account.headers);

/** Polls every gateway until each refuses the token; returns the slowest delay in ms. */
async function refusedEverywhere(account: SignedIn, since: number): Promise<number> {
  let slowest = 0;
  for (const url of gateways()) {
    for (;;) {
      const result = await me(url, account);
      if (result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') break;
      assert.ok(Date.now() - since < 5_000, `${url} still accepts the token: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    slowest = Math.max(slowest, Date.now() - since);
  }
  return slowest;
}

test('logout: the access token stops working on every gateway replica within a second', async () => {
  assert.ok(stack && tenantId);
  const account = await signIn(stack, 'USER', { tenantId });
  for (const url of gateways()) assert.equal((await me(url, account)).data?.me?.id, account.userId);
  const loggedOut = Date.now();
  const out = await graphql(stack.gatewayUrl, 'mutation($token: String!) { logout(refreshToken: $token) }', { token: account.refreshToken });
  assert.equal(out.errors, undefined, JSON.stringify(out.errors));
  const delay = await refusedEverywhere(account, loggedOut);
  assert.ok(delay < 1_000, `refused everywhere after ${delay} ms`);
});

test('a revoked token ends its open subscriptions (4401)', async () => {
  assert.ok(stack && tenantId && replica);
  const account = await signIn(stack, 'USER', { tenantId });
  const closed = (url: string) =>
    new Promise<number>((resolve) => {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${account.accessToken}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe({ query: 'subscription { deviceStatusChanged { status } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
  const ends = gateways().map((url) => closed(url));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await graphql(stack.gatewayUrl, 'mutation($token: String!) { logoutEverywhere(refreshToken: $token) }', { token: account.refreshToken });
  assert.deepEqual(await Promise.all(ends), [4401, 4401]);
});

test('a role taken away takes effect at once; the next refresh carries the roles left', async () => {
  assert.ok(stack && tenantId);
  const admin = await signIn(stack, 'ADMIN', { tenantId });
  const tenantUsers = await graphql<{ users: { totalCount: number } }>(stack.gatewayUrl, '{ users { totalCount } }', {}, admin.headers);
  assert.ok((tenantUsers.data?.users.totalCount ?? 0) > 1, 'an ADMIN sees its tenant');
  const revokedAt = Date.now();
  const revoke = await graphql(stack.gatewayUrl, 'mutation($u: ID!) { revokeRole(userId: $u, role: "ADMIN") { id } }', { u: admin.userId }, stack.admin.headers);
  assert.equal(revoke.errors, undefined, JSON.stringify(revoke.errors));
  assert.ok((await refusedEverywhere(admin, revokedAt)) < 1_000);
  const refreshed = await graphql<{ refreshSession: { accessToken: string } }>(stack.gatewayUrl, 'mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken } }', { token: admin.refreshToken });
  assert.ok(refreshed.data, JSON.stringify(refreshed.errors));
  const asUser = await graphql<{ users: { totalCount: number }; me: { roles: string[] } }>(stack.gatewayUrl, '{ users { totalCount } me { roles } }', {}, { authorization: `Bearer ${refreshed.data.refreshSession.accessToken}` });
  assert.deepEqual(asUser.data, { users: { totalCount: 1 }, me: { roles: ['USER'] } });
});

test('a replayed refresh token ends its whole login, access tokens included', async () => {
  assert.ok(stack && tenantId);
  const account = await signIn(stack, 'USER', { tenantId });
  const rotate = (token: string) => graphql<{ refreshSession: { accessToken: string; refreshToken: string } }>(stack?.gatewayUrl ?? '', 'mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }', { token });
  const rotated = await rotate(account.refreshToken);
  assert.ok(rotated.data);
  const current = { ...account, headers: { authorization: `Bearer ${rotated.data.refreshSession.accessToken}` } };
  assert.equal((await me(stack.gatewayUrl, current)).data?.me?.id, account.userId);
  const replayedAt = Date.now();
  assert.equal((await rotate(account.refreshToken)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  assert.ok((await refusedEverywhere(current, replayedAt)) < 1_000);
});
