import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createErrorFormatter } from '@cloudphone/errors';
import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { DEFAULT_QUERY_LIMITS, loadGatewayConfig } from './config.js';
import { type GatewayHandle, startGateway } from './gateway.js';
import { introspectionRules, pageSizeErrors, parseWithinLimits, queryLimitRules, tokenLimitError } from './query-limits.js';
import { subgraphsOf } from './supergraph.js';

const schema = buildSchema(`
  type Query { user(id: ID!): User, users(first: Int): [User!]! }
  type User { id: ID!, name: String!, friends(first: Int, last: Int): [User!]! }
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

test('a fragment chain is measured as the selection it spells: it does not get round the depth limit', () => {
  // Each fragment is one level deep; spread into one another they nest 13 levels.
  const fragments = Array.from({ length: 12 }, (_, index) => `fragment F${index} on User { friends { ${index < 11 ? `...F${index + 1}` : 'name'} } }`).join(' ');
  const errors = errorsOf(`{ user(id: "1") { ...F0 } } ${fragments}`);
  assert.deepEqual(
    errors.map((error) => [error.extensions['code'], error.extensions['limit']]),
    [['QUERY_TOO_COMPLEX', 'depth']],
  );
  // The same through inline fragments.
  const inline = `{ user(id: "1") { ${'... on User { friends { '.repeat(11)}name${' } }'.repeat(11)} } }`;
  assert.deepEqual(
    errorsOf(inline).map((error) => error.extensions['limit']),
    ['depth'],
  );
});

test('an alias bomb is refused by the alias limit, whatever the fields aliased', () => {
  const bomb = `{ ${Array.from({ length: 500 }, (_, index) => `a${index}: user(id: "${index}") { name }`).join(' ')} }`;
  const errors = errorsOf(bomb);
  assert.ok(errors.some((error) => error.extensions['limit'] === 'aliases' && error.message === 'Aliases limit of 15 exceeded, found 500.'));
  assert.ok(errors.every((error) => error.extensions['code'] === 'QUERY_TOO_COMPLEX'));
});

test('a directive flood is QUERY_TOO_COMPLEX (limit directives), counted through fragments; at the limit it passes', () => {
  const flagged = (count: number) => Array.from({ length: count }, () => 'name @include(if: true)').join(' ');
  assert.deepEqual(errorsOf(`{ user(id: "1") { ${flagged(20)} } }`), []);
  const [error, ...others] = errorsOf(`{ user(id: "1") { ${flagged(21)} } }`);
  assert.equal(others.length, 0);
  assert.equal(error?.message, 'Directives limit of 20 exceeded, found 21.');
  assert.deepEqual(error?.extensions, { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: 20 });
  // Twenty in a fragment, one beside it: 21 in the operation.
  const split = `{ user(id: "1") { id @skip(if: false) ...F } } fragment F on User { ${flagged(20)} }`;
  assert.deepEqual(
    errorsOf(split).map((error) => error.extensions['limit']),
    ['directives'],
  );
  assert.deepEqual(errorsOf(`{ user(id: "1") { ${flagged(21)} } }`, { ...DEFAULT_QUERY_LIMITS, maxDirectives: 21 }), []);
});

/** `{ __typename __typename ... }`: count + 2 tokens. */
function tokens(count: number): string {
  return `{ ${'__typename '.repeat(count - 2)}}`;
}

test('a token flood is refused while parsing: QUERY_TOO_COMPLEX (limit tokens), parsing stops at the first token over the limit', () => {
  assert.equal(parseWithinLimits(tokens(2_000), DEFAULT_QUERY_LIMITS).kind, 'Document');
  assert.throws(
    () => parseWithinLimits(tokens(2_001), DEFAULT_QUERY_LIMITS),
    (error: unknown) => {
      assert.ok(error instanceof GraphQLError);
      assert.equal(error.message, 'Token limit of 2000 exceeded.');
      assert.deepEqual(error.extensions, { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 2000 });
      return true;
    },
  );
  // A megabyte of tokens ending in a syntax error: the limit answers, so the parser never read that far.
  const flood = `{ ${'a '.repeat(500_000)} "unterminated`;
  const started = performance.now();
  assert.equal(tokenLimitError(flood, DEFAULT_QUERY_LIMITS)?.extensions['limit'], 'tokens');
  assert.ok(performance.now() - started < 500, 'refusing a flood costs about as much as parsing 2,000 tokens');
  // Comments and commas are no tokens; the count is configurable.
  assert.equal(tokenLimitError(`# ${'x'.repeat(10_000)}\n{ ${'__typename, '.repeat(1_998)}}`, DEFAULT_QUERY_LIMITS), undefined);
  assert.equal(tokenLimitError(tokens(11), { ...DEFAULT_QUERY_LIMITS, maxTokens: 10 })?.message, 'Token limit of 10 exceeded.');
});

test('a syntax error is not a token limit: the parser reports it as it would', () => {
  assert.equal(tokenLimitError('{ user(', DEFAULT_QUERY_LIMITS), undefined);
  assert.throws(() => parseWithinLimits('{ user(', DEFAULT_QUERY_LIMITS), /Syntax Error: Expected Name/);
});

test('the token limit is also a validation rule, for documents parsed elsewhere (the schema check)', () => {
  const limits = { ...DEFAULT_QUERY_LIMITS, maxTokens: 11 };
  // `{ user ( id : "1" ) { name } }`: 11 tokens.
  assert.deepEqual(errorsOf('{ user(id: "1") { name } }', limits), []);
  assert.deepEqual(
    errorsOf('{ user(id: "1") { id name } }', limits).map((error) => [error.message, error.extensions]),
    [['Token limit of 11 exceeded.', { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 11 }]],
  );
});

test('a literal first or last above the page limit is QUERY_TOO_COMPLEX (limit first) at validation; 100 passes', () => {
  assert.deepEqual(errorsOf('{ users(first: 100) { friends(last: 100) { id } } }', { ...DEFAULT_QUERY_LIMITS, maxCost: 10_000_000 }), []);
  const literal = errorsOf('{ users(first: 100000) { id } }').filter((error) => error.extensions['limit'] === 'first');
  assert.deepEqual(
    literal.map((error) => [error.message, error.extensions]),
    [['Page size limit of 100 exceeded: first is 100000.', { code: 'QUERY_TOO_COMPLEX', limit: 'first', max: 100 }]],
  );
  const inFragment = errorsOf('{ user(id: "1") { ...F } } fragment F on User { friends(last: 101) { id } }');
  assert.deepEqual(
    inFragment.map((error) => [error.extensions['limit'], error.message]),
    [['first', 'Page size limit of 100 exceeded: last is 101.']],
  );
});

test('a first given through a variable is checked once the variables are known: value, default, fragments', () => {
  const byVariable = parse('query Page($n: Int) { users(first: $n) { id } }');
  const [error, ...others] = pageSizeErrors(byVariable, 'Page', { n: 100_000 }, schema, DEFAULT_QUERY_LIMITS);
  assert.equal(others.length, 0);
  assert.equal(error?.message, 'Page size limit of 100 exceeded: first is 100000.');
  assert.deepEqual(error?.extensions, { code: 'QUERY_TOO_COMPLEX', limit: 'first', max: 100 });
  assert.deepEqual(pageSizeErrors(byVariable, 'Page', { n: 100 }, schema, DEFAULT_QUERY_LIMITS), []);
  assert.deepEqual(pageSizeErrors(byVariable, undefined, {}, schema, DEFAULT_QUERY_LIMITS), []);
  // Validation cannot see it: the variable passes the rules.
  assert.deepEqual(errorsOf('query Page($n: Int) { users(first: $n) { id } }'), []);

  const byDefault = parse('query Page($n: Int = 100000) { users(first: 1) { id } user(id: "1") { ...F } } fragment F on User { friends(last: $n) { id } }');
  assert.deepEqual(
    pageSizeErrors(byDefault, null, null, schema, DEFAULT_QUERY_LIMITS).map((refused) => refused.message),
    ['Page size limit of 100 exceeded: last is 100000.'],
  );
  assert.deepEqual(pageSizeErrors(byDefault, null, { n: 5 }, schema, DEFAULT_QUERY_LIMITS), []);
  // Of several operations, the one asked for.
  const two = parse('query A($n: Int) { users(first: $n) { id } } query B { users(first: 1000) { id } }');
  assert.deepEqual(pageSizeErrors(two, 'A', { n: 10 }, schema, DEFAULT_QUERY_LIMITS), []);
  assert.equal(pageSizeErrors(two, 'B', {}, schema, DEFAULT_QUERY_LIMITS).length, 1);
  // A variable that does not coerce is the engine's error to report.
  assert.deepEqual(pageSizeErrors(byVariable, 'Page', { n: 'many' }, schema, DEFAULT_QUERY_LIMITS), []);
});

test('introspection is refused when it is off (production), __typename is not', () => {
  const off = { ...DEFAULT_QUERY_LIMITS, introspection: false };
  assert.deepEqual(introspectionRules(DEFAULT_QUERY_LIMITS), []);
  const refused = validate(schema, parse('{ __schema { queryType { name } } }'), [...specifiedRules, ...introspectionRules(off)]);
  assert.ok(refused.length > 0);
  assert.ok(refused.every((error) => /introspection has been disabled/.test(error.message)));
  assert.deepEqual(validate(schema, parse('{ __typename user(id: "1") { __typename } }'), [...specifiedRules, ...introspectionRules(off)]), []);
});

test('the limits are read from the environment; production turns introspection off', () => {
  const secret = randomUUID() + randomUUID();
  assert.deepEqual(loadGatewayConfig({ INTERNAL_AUTH_SECRET: secret }).queryLimits, DEFAULT_QUERY_LIMITS);
  const tuned = loadGatewayConfig({ INTERNAL_AUTH_SECRET: secret, QUERY_MAX_TOKENS: '500', QUERY_MAX_DIRECTIVES: '5', QUERY_MAX_FIRST: '50', NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379' }).queryLimits;
  assert.deepEqual(tuned, { ...DEFAULT_QUERY_LIMITS, maxTokens: 500, maxDirectives: 5, maxFirst: 50, introspection: false });
  assert.throws(() => loadGatewayConfig({ INTERNAL_AUTH_SECRET: secret, QUERY_MAX_FIRST: '0' }), /QUERY_MAX_FIRST/);
});

describe('over HTTP, against a gateway whose subgraphs are all unreachable', () => {
  // Every refusal below comes before any subgraph is asked: none is reachable, and none is needed.
  const base = loadGatewayConfig({ GATEWAY_PORT: '0', HOST: '127.0.0.1', EVENTS_NAMESPACE: `limits-${randomUUID()}`, INTERNAL_AUTH_SECRET: randomUUID() + randomUUID() });
  let gateway: GatewayHandle;
  before(async () => {
    const unreachable = Object.fromEntries(subgraphsOf(await readFile(base.supergraphPath, 'utf8')).map(({ name }) => [name, 'http://127.0.0.1:9/graphql']));
    gateway = await startGateway({ ...base, subgraphUrls: unreachable });
  });
  after(async () => {
    await gateway.close();
  });

  interface Answer {
    status: number;
    requestId: string | null;
    errors: { message: string; extensions: Record<string, unknown> }[];
    data?: unknown;
  }
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...headers }, body: JSON.stringify(body) });
    const json = (await response.json()) as Omit<Answer, 'status' | 'requestId'>;
    return { status: response.status, requestId: response.headers.get('x-request-id'), ...json };
  }

  test('a literal first: 100000 is 400 QUERY_TOO_COMPLEX (limit first)', async () => {
    const answer = await post({ query: '{ users(first: 100000) { totalCount } }' });
    assert.equal(answer.status, 400);
    const [error] = answer.errors.filter((refused) => refused.extensions['limit'] === 'first');
    assert.equal(error?.message, 'Page size limit of 100 exceeded: first is 100000.');
    assert.equal(error?.extensions['code'], 'QUERY_TOO_COMPLEX');
    assert.equal(error?.extensions['max'], 100);
  });

  test('first: 100000 through a variable is 400 QUERY_TOO_COMPLEX (limit first), with the request id; 100 goes on to the subgraph', async () => {
    const query = 'query Page($n: Int) { users(first: $n) { totalCount } }';
    const answer = await post({ query, variables: { n: 100_000 } }, { 'x-request-id': 'limits-first-1' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.errors, [
      {
        message: 'Page size limit of 100 exceeded: first is 100000.',
        locations: [{ line: 1, column: 29 }],
        extensions: { limit: 'first', max: 100, code: 'QUERY_TOO_COMPLEX', service: 'gateway', retryable: false, requestId: 'limits-first-1' },
      },
    ]);
    assert.equal(answer.requestId, 'limits-first-1');
    // Within the limit, the operation passes the limits and reaches for the (unreachable) subgraph.
    const within = await post({ query, variables: { n: 100 } });
    assert.ok(within.errors.length > 0);
    assert.ok(within.errors.every((error) => error.extensions['code'] !== 'QUERY_TOO_COMPLEX'), JSON.stringify(within.errors));
  });

  test('a token flood is 400 QUERY_TOO_COMPLEX (limit tokens), refused before Apollo Server sees it, with the request id', async () => {
    const answer = await post({ query: `{ ${'__typename '.repeat(50_000)}}` }, { 'x-request-id': 'limits-tokens-1' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.errors, [
      { message: 'Token limit of 2000 exceeded.', extensions: { limit: 'tokens', max: 2000, requestId: 'limits-tokens-1', code: 'QUERY_TOO_COMPLEX', service: 'gateway', retryable: false } },
    ]);
    assert.equal(answer.requestId, 'limits-tokens-1');
    // Over GET alike.
    const byGet = await fetch(`${gateway.url}?query=${encodeURIComponent(`{ ${'a '.repeat(2_100)}}`)}`, { headers: { 'apollo-require-preflight': 'true' } });
    assert.equal(byGet.status, 400);
    assert.deepEqual(((await byGet.json()) as Answer).errors.map((error) => [error.extensions['code'], error.extensions['limit']]), [['QUERY_TOO_COMPLEX', 'tokens']]);
    // Within the limit, the same document is answered.
    const within = await post({ query: `{ ${'__typename '.repeat(100)}}` });
    assert.deepEqual([within.status, within.errors], [200, undefined]);
  });

  test('a directive flood and an alias bomb are 400 QUERY_TOO_COMPLEX', async () => {
    const directives = await post({ query: `{ ${'__typename @include(if: true) '.repeat(21)}}` });
    assert.equal(directives.status, 400);
    assert.deepEqual(
      directives.errors.map((error) => [error.extensions['code'], error.extensions['limit']]),
      [['QUERY_TOO_COMPLEX', 'directives']],
    );
    const aliases = await post({ query: `{ ${Array.from({ length: 100 }, (_, index) => `a${index}: plan(id: "${index}") { id }`).join(' ')} }` });
    assert.equal(aliases.status, 400);
    assert.deepEqual(
      aliases.errors.map((error) => [error.extensions['code'], error.extensions['limit']]),
      [['QUERY_TOO_COMPLEX', 'aliases']],
    );
  });

  test('a batched body (a JSON array of operations) is 400 BAD_USER_INPUT and nothing runs', async () => {
    const answer = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    assert.equal(answer.status, 400);
    assert.equal(answer.data, undefined);
    assert.deepEqual(
      answer.errors.map((error) => [error.message, error.extensions['code']]),
      [['Operation batching disabled.', 'BAD_USER_INPUT']],
    );
  });

  test('outside production, introspection is served', async () => {
    const answer = await post({ query: '{ __schema { queryType { name } } }' });
    assert.deepEqual([answer.status, answer.data], [200, { __schema: { queryType: { name: 'Query' } } }]);
  });
});

describe('over HTTP, in production', () => {
  const base = loadGatewayConfig({ GATEWAY_PORT: '0', HOST: '127.0.0.1', EVENTS_NAMESPACE: `limits-${randomUUID()}`, INTERNAL_AUTH_SECRET: randomUUID() + randomUUID(), NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379' });
  let gateway: GatewayHandle;
  before(async () => {
    const unreachable = Object.fromEntries(subgraphsOf(await readFile(base.supergraphPath, 'utf8')).map(({ name }) => [name, 'http://127.0.0.1:9/graphql']));
    // Production settings, with revocations and rate limits in process: this test is about the API schema, not Redis.
    gateway = await startGateway({ ...base, redisUrl: undefined, subgraphUrls: unreachable });
  });
  after(async () => {
    await gateway.close();
  });

  test('introspection is refused and field suggestions are hidden', async () => {
    const post = async (query: string) => {
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return { status: response.status, ...((await response.json()) as { errors?: { message: string; extensions: Record<string, unknown> }[] }) };
    };
    const introspection = await post('{ __schema { queryType { name } } }');
    assert.equal(introspection.status, 400);
    assert.deepEqual(
      introspection.errors?.map((error) => error.extensions['code']),
      ['GRAPHQL_VALIDATION_FAILED'],
    );
    assert.match(introspection.errors?.[0]?.message ?? '', /introspection/i);
    const typo = await post('{ userz { totalCount } }');
    assert.equal(typo.status, 400);
    assert.doesNotMatch(typo.errors?.[0]?.message ?? '', /Did you mean/);
  });
});
