import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiKeySecretMatches, generateApiKey, parseApiKey } from './api-keys.js';

test('a generated key parses back to its prefix, and only its own secret matches the stored hash', () => {
  const { key, prefix, secretHash } = generateApiKey();
  assert.match(key, /^cpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const parts = parseApiKey(key);
  assert.equal(parts?.prefix, prefix);
  assert.ok(parts && apiKeySecretMatches(parts.secret, secretHash));
  const other = parseApiKey(generateApiKey().key);
  assert.ok(other && !apiKeySecretMatches(other.secret, secretHash));
  assert.equal(apiKeySecretMatches(parts.secret, 'not hex'), false);
  assert.notEqual(generateApiKey().prefix, prefix);
});

test('anything but a well-formed key parses to undefined', () => {
  const { key } = generateApiKey();
  for (const candidate of ['', 'cpk_', key.slice(0, -1), `${key}x`, key.replace('cpk_', 'xpk_'), key.toUpperCase(), `${key}\n`, 'x'.repeat(10_000)]) {
    assert.equal(parseApiKey(candidate), undefined, candidate.slice(0, 80));
  }
});
