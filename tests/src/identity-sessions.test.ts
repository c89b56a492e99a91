import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type GraphQLResult, graphql } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import postgres from 'postgres';
import { type TestStack, preferredKind, startTestStack } from './support/stack.js';

const dataset = buildDemoDataset();
let stack: TestStack | undefined;

before(async () => {
  stack = await startTestStack(await preferredKind(), { ...dataset });
  assert.ok(stack);
});
after(async () => {
  await stack?.close();
});

function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  assert.ok(stack);
  return graphql<T>(stack.gatewayUrl, query, variables);
}

interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: { id: string; email: string };
}
const TOKENS = 'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email }';
const PASSWORD = 'correct horse battery staple';

async function register(): Promise<Tokens & { email: string }> {
  const tenant = dataset.users.tenants[0];
  assert.ok(tenant?.id);
  const name = `member-${randomUUID().slice(0, 8)}`;
  const email = `${name}@example.com`;
  const result = await call<{ register: Tokens }>(`mutation($input: RegisterInput!) { register(input: $input) { ${TOKENS} } }`, {
    input: { tenantId: tenant.id, username: name, email, displayName: name, password: PASSWORD },
  });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.ok(result.data);
  return { ...result.data.register, email };
}

const login = (email: string, password: string) => call<{ login: Tokens }>(`mutation($input: LoginInput!) { login(input: $input) { ${TOKENS} } }`, { input: { email, password } });
const refresh = (refreshToken: string) => call<{ refreshSession: Tokens }>(`mutation($token: String!) { refreshSession(refreshToken: $token) { ${TOKENS} } }`, { token: refreshToken });

/** Audit entries of a user, read from the users database (PostgreSQL runs only). */
async function auditActions(userId: string): Promise<string[] | undefined> {
  const target = stack?.databases['users'];
  if (target?.kind !== 'postgres') return undefined;
  const sql = postgres(target.url, { max: 1 });
  try {
    const rows = await sql<{ action: string; request_id: string | null }[]>`select action, request_id from audit_log where actor_user_id = ${userId} order by created_at, id`;
    assert.ok(rows.every((row) => row.request_id), 'every entry names its request');
    return rows.map((row) => row.action);
  } finally {
    await sql.end();
  }
}

test('register signs in: the access token verifies against the users service JWKS and names the user and tenant', async () => {
  assert.ok(stack);
  const account = await register();
  const users = stack.subgraphs.get('users');
  assert.ok(users);
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', users.url));
  const { payload, protectedHeader } = await jwtVerify(account.accessToken, jwks, { issuer: 'cloudphone-users', audience: 'cloudphone' });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload.sub, account.user.id);
  assert.equal(payload['tid'], dataset.users.tenants[0]?.id);
  // A new account holds the default role; the token carries what it grants.
  assert.deepEqual(payload['rol'], ['USER']);
  assert.equal((payload['dsc'] as Record<string, string>)['device'], 'SELF');
  assert.ok(new Date(account.accessTokenExpiresAt).getTime() - Date.now() <= 15 * 60_000 + 5_000, 'access tokens are short-lived');

  // A token signed by anyone else does not verify.
  const forged = `${account.accessToken.slice(0, account.accessToken.lastIndexOf('.'))}.${Buffer.from('x'.repeat(64)).toString('base64url')}`;
  await assert.rejects(jwtVerify(forged, jwks));

  const weak = await call(`mutation { register(input: { tenantId: "${dataset.users.tenants[0]?.id}", username: "weak.one", email: "weak@example.com", displayName: "Weak", password: "short" }) { accessToken } }`);
  assert.equal(weak.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});

test('five wrong passwords lock the account for 30 minutes, even for the right password; every attempt is audited', async () => {
  const account = await register();
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const wrong = await login(account.email, `wrong password ${attempt}`);
    assert.equal(wrong.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(wrong.errors?.[0]?.message, 'Invalid e-mail or password');
  }
  const fifth = await login(account.email, 'wrong password 5');
  assert.equal(fifth.errors?.[0]?.extensions?.code, 'ACCOUNT_LOCKED');
  const lockedUntil = new Date(String(fifth.errors?.[0]?.extensions?.lockedUntil));
  assert.ok(Math.abs(lockedUntil.getTime() - Date.now() - 30 * 60_000) < 60_000, 'locked for 30 minutes');
  const right = await login(account.email, PASSWORD);
  assert.equal(right.errors?.[0]?.extensions?.code, 'ACCOUNT_LOCKED');
  assert.equal(right.data, null);

  const unknown = await login(`nobody-${randomUUID()}@example.com`, PASSWORD);
  assert.deepEqual([unknown.errors?.[0]?.extensions?.code, unknown.errors?.[0]?.message], ['UNAUTHENTICATED', 'Invalid e-mail or password'], 'an unknown e-mail reads like a wrong password');

  const actions = await auditActions(account.user.id);
  // The fifth failure and the lock share a transaction (and its timestamp): compare as a set of counts.
  if (actions) assert.deepEqual([...actions].sort(), ['account.locked', 'login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.refused', 'login.succeeded']);
});

test('a refresh token works once; replaying a used one ends the whole session family', async () => {
  const account = await register();
  const first = await refresh(account.refreshToken);
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  assert.notEqual(first.data?.refreshSession.refreshToken, account.refreshToken);
  assert.notEqual(first.data?.refreshSession.accessToken, account.accessToken);

  const replay = await refresh(account.refreshToken);
  assert.equal(replay.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  // The replay revoked the rotated token too: whoever stole the old one gets nothing from the new one either.
  const afterReplay = await refresh(first.data?.refreshSession.refreshToken ?? '');
  assert.equal(afterReplay.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  const actions = await auditActions(account.user.id);
  if (actions) assert.ok(actions.includes('session.reuse_detected'));
});

test('logout ends one session; logoutEverywhere ends them all', async () => {
  const account = await register();
  const second = await login(account.email, PASSWORD);
  const third = await login(account.email, PASSWORD);
  assert.ok(second.data && third.data);

  const out = await call<{ logout: boolean }>('mutation($token: String!) { logout(refreshToken: $token) }', { token: account.refreshToken });
  assert.equal(out.data?.logout, true);
  assert.equal((await call<{ logout: boolean }>('mutation($token: String!) { logout(refreshToken: $token) }', { token: account.refreshToken })).data?.logout, false);
  assert.equal((await refresh(account.refreshToken)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');

  const everywhere = await call<{ logoutEverywhere: number }>('mutation($token: String!) { logoutEverywhere(refreshToken: $token) }', { token: second.data.login.refreshToken });
  assert.equal(everywhere.data?.logoutEverywhere, 2);
  assert.equal((await refresh(third.data.login.refreshToken)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  const actions = await auditActions(account.user.id);
  if (actions) assert.deepEqual(actions.filter((action) => action.startsWith('logout')), ['logout', 'logout.everywhere']);
});
