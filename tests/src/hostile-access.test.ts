import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ACCESS_TOKEN_ALGORITHM, IDENTITY_HEADER, IdentityAssertions, type Principal, servicePrincipal, signAccessToken } from '@cloudphone/identity';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { createClient } from 'graphql-ws';
import { calculateJwkThumbprint, decodeJwt, exportJWK, importPKCS8 } from 'jose';
import WebSocket from 'ws';
import { type SignedIn, signIn } from './support/auth.js';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

// Closed by default, proved from outside: every case is refused with its code, and nothing is written.
const dataset = buildDemoDataset();
let stack: TestStack | undefined;
let alice: SignedIn | undefined;
let tenantAdmin: SignedIn | undefined;

const [tenantA, tenantB] = dataset.users.tenants;
const deviceInTenantB = dataset.devices.devices.find((device) => device.tenantId === tenantB?.id);
const userInTenantA = dataset.users.users.find((user) => user.tenantId === tenantA?.id && user.email !== 'admin@cloudphone.example.com');
const userInTenantB = dataset.users.users.find((user) => user.tenantId === tenantB?.id);

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
  assert.ok(stack && tenantA?.id);
  alice = await signIn(stack, 'USER', { tenantId: tenantA.id });
  tenantAdmin = await signIn(stack, 'ADMIN', { tenantId: tenantA.id });
});
after(async () => {
  await stack?.close();
});

function ready(): { stack: TestStack; alice: SignedIn; tenantAdmin: SignedIn } {
  assert.ok(stack && alice && tenantAdmin);
  return { stack, alice, tenantAdmin };
}

function codes(result: GraphQLResult<unknown>): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

async function totals(): Promise<{ tenants: number; users: number; devices: number }> {
  const { stack } = ready();
  const result = await graphql<{ tenants: { totalCount: number }; users: { totalCount: number }; devices: { totalCount: number } }>(
    stack.gatewayUrl,
    '{ tenants { totalCount } users { totalCount } devices { totalCount } }',
    {},
    stack.admin.headers,
  );
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return { tenants: result.data.tenants.totalCount, users: result.data.users.totalCount, devices: result.data.devices.totalCount };
}

test('without a credential only sign-in is open: any other field is UNAUTHENTICATED', async () => {
  const { stack } = ready();
  const result = await graphql(stack.gatewayUrl, '{ devices { totalCount } }');
  assert.deepEqual(codes(result), ['UNAUTHENTICATED']);
  assert.equal(result.errors?.[0]?.message, 'Sign in first: send an access token or an API key');
  assert.equal(result.errors?.[0]?.extensions?.['response'], undefined, 'no subgraph response details reach the client');
  assert.equal(result.data ?? null, null);
});

test('a forged identity header sent to the gateway is ignored: the gateway signs its own', async () => {
  const { stack } = ready();
  const forged = await new IdentityAssertions('an attacker secret of at least 32 bytes').sign(servicePrincipal('devices'), 'gateway');
  const before = await totals();
  const result = await graphql(stack.gatewayUrl, 'mutation { createTenant(input: { name: "forged", maxUsers: 1, maxDevices: 1 }) { id } }', {}, { [IDENTITY_HEADER]: forged });
  assert.deepEqual(codes(result), ['UNAUTHENTICATED']);
  assert.deepEqual(await totals(), before, 'nothing was written');
});

test('every subgraph refuses _entities and _service without the gateway credential, with a wrong one, and with a tampered one', async () => {
  const { stack, alice } = ready();
  const wrongSecret = await new IdentityAssertions('not the platform secret, 32 bytes or more').sign(servicePrincipal('gateway'), 'gateway');
  const genuine = await new IdentityAssertions(stack.internalSecret).sign({ ...servicePrincipal('gateway') }, 'gateway');
  const [header, payload, signature] = genuine.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const tampered = [header, Buffer.from(JSON.stringify({ ...claims, svc: 'users' })).toString('base64url'), signature].join('.');
  const credentials: [string, Record<string, string>][] = [
    ['none', {}],
    ['a wrong secret', { [IDENTITY_HEADER]: wrongSecret }],
    ['a tampered payload', { [IDENTITY_HEADER]: tampered }],
    ["a user's access token instead", { [IDENTITY_HEADER]: alice.accessToken, authorization: `Bearer ${alice.accessToken}` }],
  ];
  for (const [name, url] of Object.entries(stack.subgraphUrls)) {
    for (const [label, headers] of credentials) {
      const entities = await graphql(url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'User', id: randomUUID() }] }, headers);
      assert.equal(entities.status, 401, `${name} _entities with ${label}`);
      assert.deepEqual(codes(entities), ['UNAUTHENTICATED'], `${name} _entities with ${label}`);
      const service = await graphql(url, '{ _service { sdl } }', {}, headers);
      assert.deepEqual(codes(service), ['UNAUTHENTICATED'], `${name} _service with ${label}`);
      assert.equal(service.data ?? null, null);
    }
  }
});

test("another user's device: null with FORBIDDEN through device(id), and through the devices subgraph's _entities", async () => {
  const { stack, alice } = ready();
  assert.ok(deviceInTenantB?.id);
  const viaGateway = await graphql<{ device: unknown }>(stack.gatewayUrl, 'query($id: ID!) { device(id: $id) { id name } }', { id: deviceInTenantB.id }, alice.headers);
  assert.equal(viaGateway.data?.device, null);
  assert.deepEqual(codes(viaGateway), ['FORBIDDEN']);
  // As if the gateway itself asked on alice's behalf: the subgraph still checks the row.
  const asAlice = (JSON.parse(Buffer.from(alice.accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>);
  const principal = { ...(await principalOf(asAlice)) };
  const signed = await new IdentityAssertions(stack.internalSecret).sign(principal, 'gateway');
  const url = stack.subgraphUrls['devices'];
  assert.ok(url);
  const entities = await graphql<{ _entities: unknown[] }>(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Device { id name } } }', { r: [{ __typename: 'Device', id: deviceInTenantB.id }] }, { [IDENTITY_HEADER]: signed });
  assert.deepEqual(entities.data?._entities, [null]);
  assert.deepEqual(codes(entities), ['FORBIDDEN']);
});

async function principalOf(claims: Record<string, unknown>): Promise<Principal> {
  const { principalFromClaims } = await import('@cloudphone/identity');
  const principal = principalFromClaims(claims);
  assert.ok(principal);
  return principal;
}

test('a USER sees only itself and its own devices; an ADMIN its tenant, with other people\'s e-mail masked', async () => {
  const { stack, alice, tenantAdmin } = ready();
  const own = await graphql<{ users: { totalCount: number; edges: { node: { id: string } }[] }; devices: { totalCount: number } }>(stack.gatewayUrl, '{ users { totalCount edges { node { id } } } devices { totalCount } }', {}, alice.headers);
  assert.equal(own.errors, undefined, JSON.stringify(own.errors));
  assert.deepEqual(own.data?.users.edges.map((edge) => edge.node.id), [alice.userId]);
  assert.equal(own.data?.devices.totalCount, 0);

  const tenantUsers = dataset.users.users.filter((user) => user.tenantId === tenantA?.id).length + 2;
  const admin = await graphql<{ users: { totalCount: number; edges: { node: { id: string; tenantId: string; email: string } }[] } }>(stack.gatewayUrl, '{ users(first: 100) { totalCount edges { node { id tenantId email } } } }', {}, tenantAdmin.headers);
  assert.equal(admin.errors, undefined, JSON.stringify(admin.errors));
  assert.equal(admin.data?.users.totalCount, tenantUsers);
  for (const { node } of admin.data?.users.edges ?? []) {
    assert.equal(node.tenantId, tenantA?.id);
    if (node.id === tenantAdmin.userId) assert.equal(node.email, tenantAdmin.email, 'one\'s own e-mail is never masked');
    else assert.match(node.email, /^.\*\*\*@/, 'an ADMIN without user:read:pii sees e-mail masked');
  }
});

test("another tenant's ids: FORBIDDEN for its user and its tenant, and no write lands", async () => {
  const { stack, tenantAdmin } = ready();
  assert.ok(userInTenantB?.id && tenantB?.id && userInTenantA?.id);
  const read = await graphql<{ user: unknown; tenant: unknown }>(stack.gatewayUrl, 'query($u: ID!, $t: ID!) { user(id: $u) { id } tenant(id: $t) { id } }', { u: userInTenantB.id, t: tenantB.id }, tenantAdmin.headers);
  assert.deepEqual(read.data, { user: null, tenant: null });
  assert.deepEqual(codes(read).sort(), ['FORBIDDEN', 'FORBIDDEN']);
  const before = await totals();
  const write = await graphql(stack.gatewayUrl, 'mutation($u: ID!) { updateUser(id: $u, input: { displayName: "taken over" }) { id } }', { u: userInTenantB.id }, tenantAdmin.headers);
  assert.deepEqual(codes(write), ['FORBIDDEN']);
  const created = await graphql(stack.gatewayUrl, 'mutation($t: ID!) { createUser(input: { tenantId: $t, username: "intruder", email: "intruder@example.com", displayName: "Intruder" }) { id } }', { t: tenantB.id }, tenantAdmin.headers);
  assert.deepEqual(codes(created), ['FORBIDDEN']);
  const escalated = await graphql(stack.gatewayUrl, 'mutation($u: ID!) { grantRole(userId: $u, role: "SUPER_ADMIN") { id } }', { u: userInTenantA.id }, tenantAdmin.headers);
  assert.deepEqual(codes(escalated), ['FORBIDDEN'], 'an ADMIN cannot hand out SUPER_ADMIN');
  assert.deepEqual(await totals(), before);
  const check = await graphql<{ user: { displayName: string; roles: string[] } }>(stack.gatewayUrl, 'query($u: ID!) { user(id: $u) { displayName roles } }', { u: userInTenantB.id }, stack.admin.headers);
  assert.equal(check.data?.user.displayName, userInTenantB.displayName);
  const roles = await graphql<{ user: { roles: string[] } }>(stack.gatewayUrl, 'query($u: ID!) { user(id: $u) { roles } }', { u: userInTenantA.id }, stack.admin.headers);
  assert.deepEqual(roles.data?.user.roles, ['USER']);
});

test('a USER may rename itself but not change its own status: the field is read-only for its role', async () => {
  const { stack, alice } = ready();
  const result = await graphql(stack.gatewayUrl, 'mutation($u: ID!) { updateUser(id: $u, input: { status: SUSPENDED }) { status } }', { u: alice.userId }, alice.headers);
  assert.deepEqual(codes(result), ['FORBIDDEN']);
  const renamed = await graphql<{ updateUser: { displayName: string } }>(stack.gatewayUrl, 'mutation($u: ID!) { updateUser(id: $u, input: { displayName: "Alice" }) { displayName } }', { u: alice.userId }, alice.headers);
  assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
});

test('an API key missing a scope: FORBIDDEN for what its owner may do but the key may not, and nothing is written', async () => {
  const { stack, alice } = ready();
  const created = await graphql<{ createApiKey: { secret: string } }>(stack.gatewayUrl, 'mutation { createApiKey(input: { name: "read only", scopes: ["user:read"] }) { secret } }', {}, alice.headers);
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
  const key = { 'x-api-key': created.data?.createApiKey.secret ?? '' };
  const name = async () => (await graphql<{ me: { displayName: string } }>(stack.gatewayUrl, '{ me { displayName } }', {}, key)).data?.me.displayName;
  const before = await name();
  assert.ok(before, 'the key reads its owner');
  const write = await graphql(stack.gatewayUrl, 'mutation($u: ID!) { updateUser(id: $u, input: { displayName: "renamed by a read-only key" }) { id } }', { u: alice.userId }, key);
  assert.deepEqual(codes(write), ['FORBIDDEN'], 'alice may rename herself; her key lacks user:write');
  const devices = await graphql(stack.gatewayUrl, '{ devices { totalCount } }', {}, key);
  assert.deepEqual(codes(devices), ['FORBIDDEN'], 'alice may read her devices; her key lacks device:read');
  const escalated = await graphql(stack.gatewayUrl, 'mutation { createApiKey(input: { name: "wider", scopes: ["user:read", "user:write"] }) { secret } }', {}, key);
  assert.deepEqual(codes(escalated), ['FORBIDDEN'], 'a key cannot mint a wider one');
  assert.equal(await name(), before);
});

test('an expired, a tampered and a foreign token are UNAUTHENTICATED, over HTTP and at connection_init', async () => {
  const { stack, alice } = ready();
  // The users subgraph's development key (this process's DATA_DIR): a genuine signature on an expired token.
  const pem = await readFile(path.resolve('.data', 'auth', 'signing-key.pem'), 'utf8');
  const privateKey = await importPKCS8(pem, ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const { d: _secret, ...publicJwk } = await exportJWK(privateKey);
  const principal = await principalOf(decodeJwt(alice.accessToken) as Record<string, unknown>);
  const expired = await signAccessToken(principal, { privateKey, kid: await calculateJwkThumbprint(publicJwk) }, { issuer: 'cloudphone-users', audience: 'cloudphone', ttlSeconds: 60 }, new Date(Date.now() - 3_600_000));
  const [header, payload, signature] = alice.accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const tampered = [header, Buffer.from(JSON.stringify({ ...claims, rol: ['SUPER_ADMIN'], dsc: { device: 'ALL' } })).toString('base64url'), signature].join('.');
  const { privateKey: otherKey } = await import('jose').then((jose) => jose.generateKeyPair(ACCESS_TOKEN_ALGORITHM));
  const foreign = await signAccessToken(principal, { privateKey: otherKey, kid: 'foreign' }, { issuer: 'cloudphone-users', audience: 'cloudphone', ttlSeconds: 600 });
  for (const [label, token] of [['expired', expired.token], ['tampered', tampered], ['foreign', foreign.token], ['garbage', 'not-a-jwt']] as const) {
    const result = await graphql(stack.gatewayUrl, '{ me { id } }', {}, { authorization: `Bearer ${token}`, 'x-request-id': `refused-${label}` });
    assert.equal(result.status, 401, label);
    assert.deepEqual(codes(result), ['UNAUTHENTICATED'], label);
    assert.equal(result.errors?.[0]?.extensions?.requestId, `refused-${label}`, 'a refusal names its request too');
    assert.equal(result.headers.get('x-request-id'), `refused-${label}`);
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({ url: stack.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, on: { closed: (event) => resolve((event as { code: number }).code) } });
      setTimeout(() => void client.dispose(), 5_000).unref();
    });
    assert.equal(closed, 4403, `${label} at connection_init`);
  }
  const malformed = await graphql(stack.gatewayUrl, '{ me { id } }', {}, { authorization: 'Basic YWxpY2U6cGFzcw==' });
  assert.deepEqual(codes(malformed), ['UNAUTHENTICATED']);
});

test('a subscription without a token is refused at connection_init (4403)', async () => {
  const { stack } = ready();
  const closed = await new Promise<number>((resolve) => {
    createClient({ url: stack.gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, on: { closed: (event) => resolve((event as { code: number }).code) } });
  });
  assert.equal(closed, 4403);
});
