import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { graphql } from '@cloudphone/testing';
import { DEMO_ADMIN, type Stack, serviceHeaders as toolServiceHeaders } from '@cloudphone/tools';

export type RoleName = 'SUPER_ADMIN' | 'ADMIN' | 'USER' | 'GUEST';

/** A signed-in account: its ids, tokens and the headers that call the gateway as it. */
export interface SignedIn {
  userId: string;
  tenantId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  headers: Record<string, string>;
}

const PASSWORD = 'correct horse battery staple';

/**
 * The headers of a platform service calling a subgraph directly, signed with
 * the stack's internal secret: what an operator's tooling holds, and what a
 * test needs to bootstrap the first administrator. `service`: whom to act
 * as, for operations only one peer may call (e.g. 'billing').
 */
export function serviceHeaders(stack: Pick<Stack, 'internalSecret'>, service = 'tests'): Promise<Record<string, string>> {
  return toolServiceHeaders(stack.internalSecret, service);
}

async function asService<T>(stack: Pick<Stack, 'internalSecret' | 'subgraphUrls'>, query: string, variables: Record<string, unknown>): Promise<T> {
  const url = stack.subgraphUrls['users'];
  assert.ok(url, 'the stack has a users subgraph');
  const result = await graphql<T>(url, query, variables, await serviceHeaders(stack));
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return result.data;
}

/** A new tenant, created as a service (tests that bring no seed). */
export async function createTenant(stack: Pick<Stack, 'internalSecret' | 'subgraphUrls'>): Promise<string> {
  const data = await asService<{ createTenant: { id: string } }>(stack, 'mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }', {
    input: { name: `tenant-${randomUUID().slice(0, 8)}`, maxUsers: 1000, maxDevices: 1000 },
  });
  return data.createTenant.id;
}

/**
 * Registers a fresh account through the gateway (the public path every user
 * takes), grants it `role` as a service when that is not the default USER,
 * and refreshes so the access token carries the role.
 */
export async function signIn(stack: Pick<Stack, 'internalSecret' | 'subgraphUrls' | 'gatewayUrl'>, role: RoleName, options: { tenantId?: string } = {}): Promise<SignedIn> {
  const tenantId = options.tenantId ?? (await createTenant(stack));
  const name = `${role.toLowerCase().replace('_', '-')}-${randomUUID().slice(0, 8)}`;
  const email = `${name}@example.com`;
  const tokens = 'accessToken refreshToken user { id }';
  const registered = await graphql<{ register: { accessToken: string; refreshToken: string; user: { id: string } } }>(stack.gatewayUrl, `mutation($input: RegisterInput!) { register(input: $input) { ${tokens} } }`, {
    input: { tenantId, username: name, email, displayName: name, password: PASSWORD },
  });
  assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
  assert.ok(registered.data);
  let { accessToken, refreshToken } = registered.data.register;
  const userId = registered.data.register.user.id;
  if (role !== 'USER') {
    await asService(stack, 'mutation($user: ID!, $role: String!) { grantRole(userId: $user, role: $role) { id } }', { user: userId, role });
    if (role === 'GUEST') await asService(stack, 'mutation($user: ID!) { revokeRole(userId: $user, role: "USER") { id } }', { user: userId });
    const refreshed = await graphql<{ refreshSession: { accessToken: string; refreshToken: string } }>(stack.gatewayUrl, `mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`, { token: refreshToken });
    assert.equal(refreshed.errors, undefined, JSON.stringify(refreshed.errors));
    assert.ok(refreshed.data);
    ({ accessToken, refreshToken } = refreshed.data.refreshSession);
  }
  return { userId, tenantId, email, password: PASSWORD, accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}

/** Signs in through the gateway with an e-mail and password. */
export async function signInAs(stack: Pick<Stack, 'gatewayUrl'>, email: string, password: string): Promise<SignedIn> {
  const result = await graphql<{ login: { accessToken: string; refreshToken: string; user: { id: string; tenantId: string } } }>(
    stack.gatewayUrl,
    'mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id tenantId } } }',
    { input: { email, password } },
  );
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  const { accessToken, refreshToken, user } = result.data.login;
  return { userId: user.id, tenantId: user.tenantId, email, password, accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}

/** Signs in as the demo dataset's SUPER_ADMIN (stacks seeded with `buildDemoDataset`). */
export function signInAsDemoAdmin(stack: Pick<Stack, 'gatewayUrl'>): Promise<SignedIn> {
  return signInAs(stack, DEMO_ADMIN.email, DEMO_ADMIN.password);
}
