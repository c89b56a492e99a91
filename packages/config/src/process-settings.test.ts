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
  });
});

test('a bad value fails at boot, naming the variable', () => {
  assert.throws(() => readSubgraphProcessSettings('users', 4001, {}, { USERS_PORT: 'ninety' }), (error: unknown) => error instanceof ConfigError && /USERS_PORT/.test(error.message));
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
  };
  const env = subgraphProcessEnv('billing', settings);
  assert.equal(env['BILLING_PORT'], '21004');
  assert.equal('REDIS_URL' in env, false, 'an unset value is left out');
  assert.deepEqual(readSubgraphProcessSettings('billing', 4004, peers, env), { ...settings, production: false });
});
