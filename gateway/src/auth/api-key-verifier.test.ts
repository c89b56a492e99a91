import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { IDENTITY_HEADER, generateApiKey } from '@cloudphone/identity';
import { ServiceGuard } from '@cloudphone/resilience';
import { RemoteApiKeyVerifier } from './api-key-verifier.js';
import { credentialFromConnectionParams, credentialFromHeaders } from './authenticator.js';

// A stand-in users subgraph: answers verifyApiKey from `answers`, counts the calls.
const answers = new Map<string, 'ok' | 'refused' | 'broken'>();
let calls = 0;
let lastIdentity: string | undefined;
const users = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    calls += 1;
    lastIdentity = request.headers[IDENTITY_HEADER] as string | undefined;
    const key = (JSON.parse(body) as { variables: { key: string } }).variables.key;
    const answer = answers.get(key) ?? 'refused';
    if (answer === 'broken') {
      response.writeHead(500).end();
      return;
    }
    const verifyApiKey =
      answer === 'ok'
        ? { keyId: '33333333-3333-4333-8333-333333333333', userId: '11111111-1111-4111-8111-111111111111', tenantId: '22222222-2222-4222-8222-222222222222', roles: ['USER'], permissions: ['device:read'], dataScopes: [{ resource: 'device', scope: 'SELF' }], fieldRules: [{ field: 'user.status', rule: 'READ_ONLY' }], expiresAt: null }
        : null;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { verifyApiKey } }));
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => users.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(users.address() as AddressInfo).port}/graphql`;
});
after(() => {
  users.close();
});

function verifier(options: { cacheMs: number; maxEntries?: number; now?: () => number }): RemoteApiKeyVerifier {
  return new RemoteApiKeyVerifier({ url, guard: new ServiceGuard('users', { timeoutMs: 1_000, retries: 0, breakerThreshold: 100, breakerResetMs: 1_000 }), serviceIdentity: async () => 'gateway-identity', ...options });
}

test('x-api-key and Authorization: ApiKey are API keys; two credentials at once, or an unknown scheme, are refused', () => {
  assert.deepEqual(credentialFromHeaders({ 'x-api-key': 'cpk_k' }), { kind: 'api-key', key: 'cpk_k' });
  assert.deepEqual(credentialFromHeaders({ authorization: 'ApiKey cpk_k' }), { kind: 'api-key', key: 'cpk_k' });
  assert.deepEqual(credentialFromHeaders({ authorization: 'Bearer t' }), { kind: 'bearer', token: 't' });
  assert.deepEqual(credentialFromHeaders({}), { kind: 'none' });
  assert.throws(() => credentialFromHeaders({ authorization: 'Bearer t', 'x-api-key': 'cpk_k' }), { code: 'UNAUTHENTICATED' });
  assert.throws(() => credentialFromHeaders({ authorization: 'Basic YTpi' }), { code: 'UNAUTHENTICATED' });
  assert.deepEqual(credentialFromConnectionParams({ 'x-api-key': 'cpk_k' }), { kind: 'api-key', key: 'cpk_k' });
  assert.deepEqual(credentialFromConnectionParams({ authorization: 'ApiKey cpk_k' }), { kind: 'api-key', key: 'cpk_k' });
  assert.deepEqual(credentialFromConnectionParams({ token: 't' }), { kind: 'bearer', token: 't' });
  assert.throws(() => credentialFromConnectionParams({ 'x-api-key': 42 }), { code: 'UNAUTHENTICATED' });
});

test('a verified key is an api-key principal, asked for as the gateway and reused within the cache time; a refusal is UNAUTHENTICATED', async () => {
  let clock = 1_000_000;
  const keys = verifier({ cacheMs: 1_000, now: () => clock });
  const { key } = generateApiKey();
  answers.set(key, 'ok');
  calls = 0;
  const principal = await keys.verify(key);
  assert.equal(principal.kind, 'api-key');
  assert.equal(principal.credentialId, '33333333-3333-4333-8333-333333333333');
  assert.deepEqual(principal.policy, { permissions: ['device:read'], dataScopes: { device: 'SELF' }, fieldRules: { 'user.status': 'READ_ONLY' } });
  assert.equal(lastIdentity, 'gateway-identity');
  await keys.verify(key);
  assert.equal(calls, 1, 'reused within the cache time');
  // Revoked meanwhile: seen as soon as the cached answer is older than the cache time.
  answers.set(key, 'refused');
  clock += 1_001;
  await assert.rejects(keys.verify(key), { code: 'UNAUTHENTICATED' });
  assert.equal(calls, 2);
  // A malformed key costs no call.
  await assert.rejects(keys.verify('cpk_not-a-key'), { code: 'UNAUTHENTICATED' });
  assert.equal(calls, 2);
});

test('concurrent requests with one key share a call; the cache stays within its bound', async () => {
  const keys = verifier({ cacheMs: 60_000, maxEntries: 3 });
  const { key } = generateApiKey();
  answers.set(key, 'ok');
  calls = 0;
  await Promise.all(Array.from({ length: 20 }, () => keys.verify(key)));
  assert.equal(calls, 1);
  for (let index = 0; index < 10; index += 1) await assert.rejects(keys.verify(generateApiKey().key), { code: 'UNAUTHENTICATED' });
  assert.equal(keys.size, 3);
});

test('the users subgraph failing is SERVICE_UNAVAILABLE, not a refusal, and is not remembered', async () => {
  const keys = verifier({ cacheMs: 60_000 });
  const { key } = generateApiKey();
  answers.set(key, 'broken');
  await assert.rejects(keys.verify(key), { code: 'SERVICE_UNAVAILABLE' });
  answers.set(key, 'ok');
  assert.equal((await keys.verify(key)).kind, 'api-key');
});
