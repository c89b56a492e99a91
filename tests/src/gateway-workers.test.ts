import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { graphql, realRedis } from '@cloudphone/testing';
import { type GatewayMain, gatewayEnvironment, startGatewayMain } from '@cloudphone/tools';
import { freePort } from '@cloudphone/tools/stack/free-port';
import { eventually } from './support/events.js';
import { type TestStack, startTestStack } from './support/stack.js';

// GATEWAY_WORKERS=2: `node gateway/dist/main.js` forks two gateways sharing one port, as production would run it on two cores.
let stack: TestStack | undefined;
let cluster: GatewayMain | undefined;

before(async () => {
  const redisUrl = await realRedis();
  if (redisUrl === undefined) return;
  stack = await startTestStack('pglite', null);
  assert.ok(stack);
  cluster = await startGatewayMain({
    ...gatewayEnvironment({ urls: stack.subgraphUrls, internalSecret: stack.internalSecret, events: stack.events, redisUrl }),
    GATEWAY_PORT: String(await freePort('127.0.0.1', new Set())),
    GATEWAY_WORKERS: '2',
    LOG_LEVEL: 'warn',
  });
});
after(async () => {
  await cluster?.close();
  await stack?.close();
});

const ME = '{ me { id email } }';

test('two gateway processes share the port and both answer; a killed one is replaced while the other serves', async (context) => {
  if (!stack || !cluster) return context.skip('needs Redis (the processes share revocations and rate limits there): set TEST_REDIS_URL');
  const { url } = cluster;
  const headers = stack.admin.headers;
  const workers = await cluster.workerPids();
  assert.equal(workers.length, 2, `workers: ${workers.join(', ')}`);
  for (let index = 0; index < 20; index += 1) {
    const answer = await graphql<{ me: { id: string } }>(url, ME, {}, headers);
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.ok(answer.data?.me.id);
  }

  const [victim, survivor] = workers;
  assert.ok(victim && survivor);
  process.kill(victim, 'SIGKILL');
  // A kept-alive connection to the dead worker fails (as it would for any client); new connections go to the
  // live worker at once, and the primary forks a replacement.
  const answers = async () => {
    try {
      const answer = await graphql<{ me: { id: string } }>(url, ME, {}, headers);
      return answer.errors === undefined && answer.data?.me.id !== undefined;
    } catch {
      return false;
    }
  };
  await eventually(answers, 'the cluster answers after a worker died');
  await eventually(async () => {
    const now = await cluster?.workerPids();
    return now?.length === 2 && now.includes(survivor) && !now.includes(victim);
  }, 'the dead worker is replaced', 20_000);
  const answer = await graphql<{ me: { id: string } }>(url, ME, {}, headers);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
});

test('stopping the cluster stops every worker', async (context) => {
  if (!stack || !cluster) return context.skip('needs Redis: set TEST_REDIS_URL');
  const workers = await cluster.workerPids();
  await cluster.close();
  cluster = undefined;
  for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} outlived its primary`);
});
