import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql, realRabbitMq } from '@cloudphone/testing';
import { buildDemoDataset } from '@cloudphone/tools';
import { eventually } from './support/events.js';
import { NESTED_QUERY } from './support/nested-query.js';
import { type CollectedSpan, type OtlpCollector, startOtlpCollector } from './support/otlp-collector.js';
import { type DatabaseKind, type TestStack, startTestStack } from './support/stack.js';

/** Each subgraph thread's count of SQL statements sent so far. */
async function statementCounts(stack: TestStack): Promise<Map<string, number>> {
  return new Map(await Promise.all([...stack.subgraphs].map(async ([name, thread]) => [name, await thread.statements()] as const)));
}

/** Whether `span` lies under `ancestor` (`byId`: the trace's spans by id). */
function descendsFrom(span: CollectedSpan, ancestor: CollectedSpan, byId: Map<string, CollectedSpan>): boolean {
  for (let parent = span.parentSpanId; parent !== undefined; parent = byId.get(parent)?.parentSpanId) {
    if (parent === ancestor.spanId) return true;
  }
  return false;
}

for (const kind of ['postgres', 'pglite'] satisfies DatabaseKind[]) {
  describe(`traces on ${kind}`, () => {
    let collector: OtlpCollector;
    let stack: TestStack | undefined;
    before(async () => {
      // Statements are counted per subgraph, background work included: billing's saga poll and expiry
      // sweep (untraced: no request) would be counted with the query, so they are slowed down here.
      Object.assign(process.env, { SAGA_POLL_MS: '60000', ORDER_EXPIRY_INTERVAL_MS: '3600000' });
      collector = await startOtlpCollector();
      // Events through RabbitMQ when one is configured (always in CI), so the trace crosses the broker.
      stack = await startTestStack(kind, { ...buildDemoDataset() }, {}, { amqpUrl: await realRabbitMq() }, { tracesUrl: collector.url });
    });
    after(async () => {
      await stack?.close();
      await collector.close();
    });

    test("a mutation's trace continues into the consumers of the event it raised", async (context) => {
      if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
      const { admin } = stack;
      const renamed = await graphql(stack.gatewayUrl, 'mutation RenameTraced($id: ID!) { updateUser(id: $id, input: { displayName: "Traced Admin" }) { id } }', { id: admin.userId }, admin.headers);
      assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
      const requestOf = () => collector.spans.find((span) => span.name === 'gateway.request' && span.attributes['graphql.operation.name'] === 'RenameTraced');
      const consumed = (consumer: string) => collector.spans.filter((span) => span.service === consumer && span.name === 'process user.updated' && span.traceId === requestOf()?.traceId);
      // The services export their spans every few seconds.
      await eventually(() => consumed('devices').length > 0 && consumed('billing').length > 0, 'both consumers of user.updated exported their span in the trace');
      const request = requestOf();
      assert.ok(request);
      const byId = new Map(collector.spans.filter((span) => span.traceId === request.traceId).map((span) => [span.spanId, span]));
      const [raised] = [...byId.values()].filter((span) => span.service === 'users' && span.name === 'POST /graphql');
      assert.ok(raised, "the users subgraph's server span is in the trace");
      for (const span of [...consumed('devices'), ...consumed('billing')]) {
        assert.equal(span.parentSpanId, raised.spanId, `${span.service}: a child of the request that raised the event`);
        assert.equal(span.attributes['messaging.destination.name'], 'user.updated');
      }
    });

    test('one trace follows the nested query from the gateway through every subgraph fetch down to each SQL statement', async (context) => {
      if (!stack) return context.skip('no PostgreSQL (set TEST_POSTGRES_URL)');
      // The counters also count background statements (untraced: no request) that may fall within a
      // query, billing's saga leases for one: the query runs a few times, and each subgraph must show
      // a span for every statement it counted in at least one of them, and never more spans than that.
      const running = stack;
      const sentPerRun: Map<string, number>[] = [];
      for (let run = 0; run < 3; run += 1) {
        const before = await statementCounts(running);
        const result = await graphql(running.gatewayUrl, NESTED_QUERY, { first: 3 }, running.admin.headers);
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        const afterQuery = await statementCounts(running);
        sentPerRun.push(new Map([...afterQuery].map(([name, count]) => [name, count - (before.get(name) ?? 0)])));
      }
      // Closing stops every service's tracing, which exports what it still holds.
      await running.close();
      stack = undefined;

      const requests = collector.spans
        .filter((span) => span.service === 'gateway' && span.name === 'gateway.request' && span.attributes['graphql.operation.name'] === 'UsersWithEverything')
        .sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
      assert.equal(requests.length, sentPerRun.length, 'the gateway exported a request span for each query');
      const exact = new Map<string, number>();
      requests.forEach((request, run) => {
        assert.equal(request.parentSpanId, undefined, 'the request starts the trace');
        const spans = collector.spans.filter((span) => span.traceId === request.traceId);
        const byId = new Map(spans.map((span) => [span.spanId, span]));

        const fetches = spans.filter((span) => span.service === 'gateway' && span.name === 'gateway.fetch');
        assert.ok(fetches.length >= 3, `the plan fetches from several subgraphs (${fetches.length} fetches)`);
        const servers = spans.filter((span) => span.service !== 'gateway' && span.name === 'POST /graphql');
        for (const fetch of fetches) {
          assert.ok(descendsFrom(fetch, request, byId), 'each fetch is part of the request');
          const answered = servers.filter((server) => server.parentSpanId === fetch.spanId);
          assert.deepEqual(answered.map((server) => server.service), [fetch.attributes['service']], `the ${String(fetch.attributes['service'])} fetch was served under it`);
        }
        for (const server of servers) assert.ok(fetches.some((fetch) => fetch.spanId === server.parentSpanId), `${server.service} served only the gateway's fetches`);

        const fetched = new Set(servers.map((server) => server.service));
        for (const [name, sent] of sentPerRun[run] ?? []) {
          const statements = spans.filter((span) => span.service === name && span.name === 'db.query');
          assert.ok(statements.length <= sent, `${name}: ${statements.length} statement spans, more than the ${sent} statements it sent`);
          if (statements.length === sent) exact.set(name, (exact.get(name) ?? 0) + 1);
          if (statements.length > 0) assert.ok(fetched.has(name), `${name} sent SQL only when fetched`);
          for (const statement of statements) {
            assert.equal(statement.attributes['db.system'], 'postgresql');
            assert.match(String(statement.attributes['db.statement']), /^\s*(select|with)\b/i, 'the SQL text itself');
            assert.ok(servers.some((server) => server.service === name && descendsFrom(statement, server, byId)), `${name}: each statement under its server span`);
          }
        }
        for (const server of servers) {
          assert.ok(spans.some((span) => span.name === 'db.query' && descendsFrom(span, server, byId)), `${server.service}: SQL under each server span`);
        }
      });
      for (const name of sentPerRun[0]?.keys() ?? []) assert.ok((exact.get(name) ?? 0) > 0, `${name}: a span for each statement it sent, in at least one query`);
    });
  });
}
