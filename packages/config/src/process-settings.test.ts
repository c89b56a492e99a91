import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readSubgraphProcessSettings, subgraphProcessEnv } from './index.js';

test('a subgraph reads its own database URL and port, the shared keys, and its peers with local defaults', () => {
  const settings = readSubgraphProcessSettings('billing', 4004, { users: 'http://127.0.0.1:4001/graphql', devices: 'http://127.0.0.1:4002/graphql' }, {
    BILLING_DATABASE_URL: 'postgres://db/cloudphone_billing',
    USERS_DATABASE_URL: 'postgres://db/cloudphone_users',
    BILLING_PORT: '5004',
    DEVICES_SUBGRAPH_URL: 'http://devices:4002/graphql',
    AMQP_URL: '',
    REDIS_URL: 'redis://cache:6379',
  });
  assert.deepEqual(settings, {
    databaseUrl: 'postgres://db/cloudphone_billing',
    dataDir: '.data/pglite',
    port: 5004,
    host: '0.0.0.0',
    amqpUrl: undefined,
    redisUrl: 'redis://cache:6379',
    eventsNamespace: 'cloudphone',
    peers: { users: 'http://127.0.0.1:4001/graphql', devices: 'http://devices:4002/graphql' },
    internalAuthSecret: undefined,
    production: false,
    logLevel: 'info',
    tracesUrl: undefined,
  });
});

test('a bad value fails at boot, naming the variable', () => {
  assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { USERS_PORT: 'ninety' }), (error: unknown) => error instanceof ConfigError && /USERS_PORT/.test(error.message));
  assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { LOG_LEVEL: 'verbose' }), /LOG_LEVEL/);
  assert.throws(() => readSubgraphProcessSettings('apps', 4003, { devices: 'http://127.0.0.1:4002/graphql' }, { DEVICES_SUBGRAPH_URL: 'not a url' }), /DEVICES_SUBGRAPH_URL/);
});

test('in production a subgraph refuses to start without the shared internal secret, and refuses a short one anywhere', () => {
  assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { NODE_ENV: 'production' }), /INTERNAL_AUTH_SECRET: required in production/);
  assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { INTERNAL_AUTH_SECRET: 'too short' }), /INTERNAL_AUTH_SECRET/);
  const secret = 'x'.repeat(32);
  assert.equal(readSubgraphProcessSettings('users', 4001, {}, { NODE_ENV: 'production', INTERNAL_AUTH_SECRET: secret }).internalAuthSecret, secret);
});

test('EVENTS_NAMESPACE names the namespace a subgraph shares with its deployment: letters, digits and dashes', () => {
  assert.equal(readSubgraphProcessSettings('users', 4001, {}, { EVENTS_NAMESPACE: 'cloudphone-1a2b3c4d' }).eventsNamespace, 'cloudphone-1a2b3c4d');
  assert.equal(readSubgraphProcessSettings('users', 4001, {}, { EVENTS_NAMESPACE: '' }).eventsNamespace, 'cloudphone', 'empty counts as unset');
  for (const bad of ['cloud phone', 'cloudphone:events', 'a.b', 'ns_1']) {
    assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { EVENTS_NAMESPACE: bad }), (error: unknown) => error instanceof ConfigError && /EVENTS_NAMESPACE/.test(error.message), bad);
  }
});

test('a launcher writes the environment a subgraph process reads back as the same settings', () => {
  const peers = { users: 'http://127.0.0.1:4001/graphql', devices: 'http://127.0.0.1:4002/graphql' };
  const settings = {
    databaseUrl: 'postgres://db/cloudphone_billing',
    dataDir: '/tmp/data',
    port: 21_004,
    host: '127.0.0.1',
    amqpUrl: 'amqp://broker:5672',
    redisUrl: undefined,
    eventsNamespace: 'cloudphone-test',
    peers: { users: 'http://127.0.0.1:21001/graphql', devices: 'http://127.0.0.1:21002/graphql' },
    internalAuthSecret: 'y'.repeat(32),
    logLevel: 'warn' as const,
    tracesUrl: 'http://collector:4318/v1/traces',
  };
  const env = subgraphProcessEnv('billing', settings);
  assert.equal(env['BILLING_PORT'], '21004');
  assert.equal('REDIS_URL' in env, false, 'an unset value is left out');
  assert.deepEqual(readSubgraphProcessSettings('billing', 4004, peers, env), { ...settings, production: false });
});

test('spans go to the OTLP traces endpoint, or the base endpoint plus /v1/traces, or nowhere', () => {
  const read = (env: Record<string, string>) => readSubgraphProcessSettings('users', 4001, {}, env).tracesUrl;
  assert.equal(read({}), undefined, 'no endpoint: no tracing');
  assert.equal(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), 'http://collector:4318/v1/traces');
  assert.equal(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/in' }), 'http://traces:9999/in');
  assert.throws(() => read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
});
