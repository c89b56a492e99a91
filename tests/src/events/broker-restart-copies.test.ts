import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { type GraphQLResult, graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset, checkConsistency } from '@cloudphone/tools';
import { eventually } from '../support/events.js';
import { serviceHeaders } from '../support/auth.js';
import { startTestStack } from '../support/stack.js';

// test-isolation: exclusive (it restarts the shared RabbitMQ broker)

const run = promisify(execFile);

test('users renamed while the broker restarts: every copy in devices and billing ends equal to its source', async (context) => {
  const amqpUrl = await realRabbitMq();
  if (!amqpUrl) return context.skip('needs RabbitMQ: set TEST_AMQP_URL');
  const dataset = buildDemoDataset();
  const stack = await startTestStack('postgres', { ...dataset }, {}, { amqpUrl, retry: { maxAttempts: 10, baseMs: 100, factor: 2 } });
  if (!stack) return context.skip('needs PostgreSQL: set TEST_POSTGRES_URL');
  try {
    const users = dataset.users.users.slice(0, 30);
    let restart: Promise<unknown> | undefined;
    for (let round = 0; round < 10; round += 1) {
      if (round === 3) restart = run('rabbitmqctl', ['stop_app']).then(() => new Promise((resolve) => setTimeout(resolve, 1_000))).then(() => run('rabbitmqctl', ['start_app']));
      for (const user of users) {
        const result: GraphQLResult<unknown> = await graphql(stack.gatewayUrl, 'mutation($id: ID!, $name: String!) { updateUser(id: $id, input: { displayName: $name }) { version } }', { id: user.id, name: `${user.displayName} r${round}` }, stack.admin.headers);
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      }
    }
    await restart;
    await run('rabbitmqctl', ['await_startup']);
    const targets = {
      gatewayUrl: stack.gatewayUrl,
      devicesUrl: stack.subgraphs.get('devices')?.url ?? '',
      billingUrl: stack.subgraphs.get('billing')?.url ?? '',
      gatewayHeaders: stack.admin.headers,
      subgraphHeaders: await serviceHeaders(stack),
    };
    await eventually(async () => (await checkConsistency(targets)).mismatches.length === 0, 'copies equal their sources after 300 renames and a broker restart', 120_000);
  } finally {
    await stack.close();
  }
});
