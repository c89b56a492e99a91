import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphQLError } from 'graphql';
import { AppError } from './app-error.js';
import { createErrorFormatter, withRequestId } from './format.js';
import { requestIdFrom } from './request-id.js';

test('an AppError shows its user message, code, service and retryability, never its internal message', () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter('devices', (entry) => logged.push(entry));
  const error = new GraphQLError('x', { originalError: new AppError('USER_NOT_FOUND', 'User not found', { internalMessage: 'select * from users where id = 1', details: { field: 'userId' } }) });
  const formatted = format({ message: 'x', path: ['createDevice'] }, error);
  assert.deepEqual(formatted, {
    message: 'User not found',
    path: ['createDevice'],
    extensions: { field: 'userId', code: 'USER_NOT_FOUND', service: 'devices', retryable: false },
  });
  assert.equal(logged.length, 0);
});

test('an unknown error is logged and surfaces as INTERNAL_ERROR without details', () => {
  const logged: { message: string }[] = [];
  const format = createErrorFormatter('users', (entry) => logged.push(entry));
  const formatted = format({ message: 'duplicate key value violates unique constraint "users_pkey"', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, new GraphQLError('boom', { originalError: new Error('duplicate key value') }));
  assert.deepEqual(formatted, { message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR', service: 'users', retryable: false } });
  assert.equal(logged[0]?.message, 'duplicate key value');
});

test('a subgraph error relayed by the gateway keeps its code, fields and service, and drops internals', () => {
  const format = createErrorFormatter('gateway', () => undefined);
  const formatted = format(
    { message: 'Bad id', extensions: { code: 'BAD_USER_INPUT', field: 'id', service: 'devices', serviceName: 'devices', retryable: false, stacktrace: ['x'] } },
    new GraphQLError('Bad id'),
  );
  assert.deepEqual(formatted.extensions, { code: 'BAD_USER_INPUT', field: 'id', service: 'devices', retryable: false });
});

test('SERVICE_UNAVAILABLE is retryable by default', () => {
  assert.equal(new AppError('SERVICE_UNAVAILABLE', 'down').retryable, true);
  assert.equal(new AppError('BAD_USER_INPUT', 'bad').retryable, false);
});

test('request ids: sane ones are kept, hostile or missing ones replaced, stamped ones preserved', () => {
  assert.equal(requestIdFrom('abc-123'), 'abc-123');
  assert.match(requestIdFrom('<script>'), /^[0-9a-f-]{36}$/);
  assert.match(requestIdFrom(undefined), /^[0-9a-f-]{36}$/);
  assert.match(requestIdFrom('x'.repeat(200)), /^[0-9a-f-]{36}$/);
  const stamped = withRequestId([{ message: 'a' }, { message: 'b', extensions: { requestId: 'r1' } }], 'r1');
  assert.deepEqual(stamped.map((error) => error.extensions?.['requestId']), ['r1', 'r1']);
});
