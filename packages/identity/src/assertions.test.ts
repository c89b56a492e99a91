import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdentityAssertions } from './assertions.js';
import type { Principal } from './principal.js';

const SECRET = 'a secret of at least thirty-two bytes!';
const alice: Principal = {
  kind: 'user',
  userId: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  roles: ['USER'],
  policy: { permissions: ['device:read'], dataScopes: { device: 'SELF' }, fieldRules: { 'user.status': 'READ_ONLY' } },
  credentialId: 'session-1',
  service: null,
};

test('a signed principal verifies to the same principal', async () => {
  const assertions = new IdentityAssertions(SECRET);
  assert.deepEqual(await assertions.verify(await assertions.sign(alice, 'gateway')), alice);
});

test('missing, foreign, tampered and expired assertions are UNAUTHENTICATED', async () => {
  const assertions = new IdentityAssertions(SECRET);
  const genuine = await assertions.sign(alice, 'gateway');
  const [header, payload, signature] = genuine.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const tampered = [header, Buffer.from(JSON.stringify({ ...claims, dsc: { device: 'ALL' } })).toString('base64url'), signature].join('.');
  const foreign = await new IdentityAssertions('another secret, also thirty-two bytes').sign(alice, 'gateway');
  const expired = await assertions.sign(alice, 'gateway', Date.now() - 120_000);
  for (const header of [undefined, '', 'garbage', tampered, foreign, expired]) {
    await assert.rejects(assertions.verify(header), { code: 'UNAUTHENTICATED' }, String(header));
  }
});

test('a short secret is refused at construction', () => {
  assert.throws(() => new IdentityAssertions('short'));
});
