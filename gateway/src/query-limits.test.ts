import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createErrorFormatter } from '@cloudphone/errors';
import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { DEFAULT_QUERY_LIMITS } from './config.js';
import { queryLimitRules } from './query-limits.js';

const schema = buildSchema(`
  type Query { user(id: ID!): User, users(first: Int): [User!]! }
  type User { id: ID!, name: String!, friends(first: Int): [User!]! }
`);

function errorsOf(source: string, limits = DEFAULT_QUERY_LIMITS): readonly GraphQLError[] {
  return validate(schema, parse(source), [...specifiedRules, ...queryLimitRules(limits)]);
}

/** `user { friends { friends { ... name } } }`: depth levels + 2 (user and name). */
function nested(levels: number): string {
  return `{ user(id: "1") { ${'friends { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
}

test('an operation one level over the depth limit is QUERY_TOO_COMPLEX, one at the limit passes', () => {
  assert.deepEqual(errorsOf(nested(10)), []);
  const [error, ...others] = errorsOf(nested(11));
  assert.equal(others.length, 0);
  assert.equal(error?.message, 'Query depth limit of 12 exceeded, found 13.');
  assert.deepEqual(error?.extensions, { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 12 });
});

test('the code survives the gateway error formatter (as over HTTP and over the socket)', () => {
  const [error] = errorsOf(nested(11));
  assert.ok(error);
  // Apollo Server wraps validation errors and re-codes them; the AppError underneath decides.
  const wrapped = new GraphQLError(error.message, { originalError: error, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  const formatted = createErrorFormatter('gateway', () => assert.fail('a limit is not an internal error'))(wrapped.toJSON(), wrapped);
  assert.deepEqual(formatted.extensions, { limit: 'depth', max: 12, code: 'QUERY_TOO_COMPLEX', service: 'gateway', retryable: false });
});

test('fragments add no depth: the same selection through a fragment is measured alike', () => {
  const viaFragment = `{ user(id: "1") { ...F } } fragment F on User { ${'friends { '.repeat(10)}name${' }'.repeat(10)} }`;
  assert.deepEqual(errorsOf(viaFragment), []);
});

test('cost counts literal page sizes; aliases are counted; each limit names itself', () => {
  const pages = '{ users(first: 100) { friends(first: 100) { friends(first: 100) { id } } } }';
  assert.deepEqual(
    errorsOf(pages).map((error) => error.extensions['limit']),
    ['cost'],
  );
  const aliases = `{ user(id: "1") { ${Array.from({ length: 16 }, (_, index) => `a${index}: name`).join(' ')} } }`;
  assert.deepEqual(
    errorsOf(aliases).map((error) => [error.extensions['limit'], error.message]),
    [['aliases', 'Aliases limit of 15 exceeded, found 16.']],
  );
  assert.deepEqual(errorsOf(aliases, { ...DEFAULT_QUERY_LIMITS, maxAliases: 16 }), []);
});

test('a fragment cycle is an ordinary validation error, not a crash of the limit rules', () => {
  const errors = errorsOf('{ user(id: "1") { ...A } } fragment A on User { friends { ...B } } fragment B on User { friends { ...A } }');
  assert.ok(errors.length > 0);
  assert.ok(errors.some((error) => /Cannot spread fragment/.test(error.message)));
});
