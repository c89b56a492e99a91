import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Principal } from '@cloudphone/identity';
import { realRedis } from '@cloudphone/testing';
import { InProcessRevocationChannel } from './in-process-channel.js';
import { RedisRevocationChannel } from './redis-channel.js';
import type { RevocationChannel } from './revocation.js';
import { RevocationList } from './revocation-list.js';

const user = (userId: string, credentialId: string): Principal => ({ kind: 'user', userId, tenantId: randomUUID(), roles: ['USER'], policy: { permissions: [], dataScopes: {}, fieldRules: {} }, credentialId, service: null });

async function eventually(check: () => boolean, what: string, timeoutMs = 1_000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) assert.fail(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

async function revokesAcrossReplicas(publisher: RevocationChannel, replicas: [RevocationChannel, RevocationChannel]): Promise<void> {
  const lists = replicas.map((channel) => new RevocationList(channel, 1_000));
  await Promise.all(lists.map((list) => list.start()));
  const alice = { principal: user(randomUUID(), randomUUID()), issuedAtMs: Date.now() - 1_000 };
  const bob = { principal: user(randomUUID(), randomUUID()), issuedAtMs: Date.now() - 1_000 };
  for (const list of lists) assert.doesNotThrow(() => list.check(alice));

  await publisher.publish({ kind: 'credential', credentialId: alice.principal.credentialId ?? '', expiresAt: Date.now() + 60_000 });
  for (const list of lists) await eventually(() => list.isRevoked(alice), 'every replica hears of the revoked login');
  for (const list of lists) assert.throws(() => list.check(alice), { code: 'UNAUTHENTICATED' });
  assert.equal(lists[0]?.isRevoked(bob), false, 'another login is untouched');

  const cutoff = Date.now();
  await publisher.publish({ kind: 'user', userId: bob.principal.userId ?? '', issuedBefore: cutoff, expiresAt: Date.now() + 60_000 });
  for (const list of lists) await eventually(() => list.isRevoked(bob), "every replica hears of the user's revocation");
  assert.equal(lists[1]?.isRevoked({ ...bob, issuedAtMs: cutoff + 1 }), false, 'a token issued after it (a refresh) works');
}

test('in process: a revocation reaches every follower, a late follower replays what is in force', async () => {
  const namespace = randomUUID();
  const publisher = new InProcessRevocationChannel(namespace);
  const replicas: [RevocationChannel, RevocationChannel] = [new InProcessRevocationChannel(namespace), new InProcessRevocationChannel(namespace)];
  try {
    await revokesAcrossReplicas(publisher, replicas);
  } finally {
    await Promise.all([publisher, ...replicas].map((channel) => channel.close()));
  }
});

test('through Redis: two replicas hear a revocation within a second; a replica started later reads it from its key', async (context) => {
  const url = await realRedis();
  if (!url) return context.skip('needs Redis: set TEST_REDIS_URL');
  const namespace = `revocation-test-${randomUUID()}`;
  const publisher = new RedisRevocationChannel(url, namespace);
  const replicas: [RevocationChannel, RevocationChannel] = [new RedisRevocationChannel(url, namespace), new RedisRevocationChannel(url, namespace)];
  try {
    await revokesAcrossReplicas(publisher, replicas);
    const credentialId = randomUUID();
    await publisher.publish({ kind: 'credential', credentialId, expiresAt: Date.now() + 60_000 });
    const lateChannel = new RedisRevocationChannel(url, namespace);
    const lateList = new RevocationList(lateChannel, 1_000);
    await lateList.start();
    assert.equal(lateList.isRevoked({ principal: user(randomUUID(), credentialId), issuedAtMs: Date.now() }), true, 'replayed from Redis at start');
    await lateChannel.close();
  } finally {
    await Promise.all([publisher, ...replicas].map((channel) => channel.close()));
  }
});

test('with Redis unreachable, tokens are refused as SERVICE_UNAVAILABLE once the grace period is over (fail closed)', async () => {
  const channel = new RedisRevocationChannel('redis://127.0.0.1:9', `down-${randomUUID()}`);
  const list = new RevocationList(channel, 50);
  try {
    await list.start(100);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.throws(() => list.check({ principal: user(randomUUID(), randomUUID()), issuedAtMs: Date.now() }), { code: 'SERVICE_UNAVAILABLE' });
  } finally {
    await channel.close();
  }
});
