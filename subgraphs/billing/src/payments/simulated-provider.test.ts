import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signSimulatedCallback, verifySimulatedCallback } from './simulated-provider.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const EVENT = { eventId: 'evt_1', reference: 'sim_ok_0123456789abcdef01234567', outcome: 'SUCCEEDED', amountMinor: 999, currency: 'USD' };
const NOW = Date.parse('2026-01-01T00:00:00Z');

function signed(body: string, at = NOW, secret = SECRET) {
  return { body: Buffer.from(body), header: signSimulatedCallback(secret, body, at) };
}

test('a callback signed with the secret, over the exact bytes, within five minutes, is read', () => {
  const { body, header } = signed(JSON.stringify(EVENT));
  const verdict = verifySimulatedCallback(SECRET, body, header, NOW + 60_000);
  assert.deepEqual(verdict, { valid: true, event: EVENT });
});

test('a wrong secret, a changed byte, a stale or future timestamp, or no header is refused before the body is read', () => {
  const body = JSON.stringify(EVENT);
  const cases = [
    verifySimulatedCallback(SECRET, signed(body, NOW, 'another-secret-of-at-least-thirty-two-chars').body, signed(body, NOW, 'another-secret-of-at-least-thirty-two-chars').header, NOW),
    verifySimulatedCallback(SECRET, Buffer.from(body.replace('999', '998')), signed(body).header, NOW),
    verifySimulatedCallback(SECRET, signed(body).body, signed(body).header, NOW + 301_000),
    verifySimulatedCallback(SECRET, signed(body).body, signed(body).header, NOW - 301_000),
    verifySimulatedCallback(SECRET, Buffer.from(body), undefined, NOW),
    verifySimulatedCallback(SECRET, Buffer.from(body), 't=abc,v1=zz', NOW),
  ];
  for (const verdict of cases) assert.equal(verdict.valid, false, JSON.stringify(verdict));
});

test('a genuine signature over something that is not a payment event is refused too', () => {
  const { body, header } = signed(JSON.stringify({ ...EVENT, amountMinor: -5 }));
  assert.deepEqual(verifySimulatedCallback(SECRET, body, header, NOW), { valid: false, reason: 'body is not a payment event' });
});
