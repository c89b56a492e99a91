import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCodeLabel, operationTypeLabel } from './labels.js';

test('operation types are the three of GraphQL, or unknown', () => {
  assert.deepEqual(['query', 'mutation', 'subscription', undefined, 'MyQuery'].map(operationTypeLabel), ['query', 'mutation', 'subscription', 'unknown', 'unknown']);
});

test('error codes are the platform\'s and the engine\'s; anything else is OTHER', () => {
  assert.deepEqual(
    ['BAD_USER_INPUT', 'INTERNAL_ERROR', 'GRAPHQL_VALIDATION_FAILED', 'bad_user_input', 'x'.repeat(500), 42, undefined].map(errorCodeLabel),
    ['BAD_USER_INPUT', 'INTERNAL_ERROR', 'GRAPHQL_VALIDATION_FAILED', 'OTHER', 'OTHER', 'OTHER', 'OTHER'],
  );
});
