import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema } from 'graphql';
import { lintSchema } from './lint.js';

test('naming: types PascalCase, fields and arguments camelCase, enum values UPPER_CASE', () => {
  const problems = lintSchema(
    buildSchema(`
      """A thing."""
      type bad_type { """x""" Wrong_Field(Bad_Arg: Int): Int }
      """States."""
      enum State { active DONE }
      type Query { """things""" things: [bad_type!]! """a state""" state: State }
    `),
  );
  assert.deepEqual(problems.filter((problem) => problem.rule === 'naming').map((problem) => problem.coordinate).sort(), [
    'State.active',
    'bad_type',
    'bad_type.Wrong_Field',
    'bad_type.Wrong_Field(Bad_Arg:)',
  ]);
});

test('descriptions: every public type and field needs one', () => {
  const problems = lintSchema(buildSchema('type Thing { id: ID! } type Query { """one""" thing: Thing }'));
  assert.deepEqual(problems.map((problem) => `${problem.rule} ${problem.coordinate}`).sort(), ['description Thing', 'description Thing.id']);
});

test('relay: connections have edges, pageInfo and totalCount; paginated fields take after and return a connection', () => {
  const problems = lintSchema(
    buildSchema(`
      """Page state."""
      type PageInfo { """more""" hasNextPage: Boolean! }
      """Item."""
      type Item { """id""" id: ID! }
      """Edge."""
      type ItemEdge { """node""" node: Item }
      """Page."""
      type ItemConnection { """edges""" edges: [ItemEdge] """count""" totalCount: Int! }
      type Query {
        """paged"""
        items(first: Int): ItemConnection!
        """not a connection"""
        list(first: Int, after: String): [Item!]!
      }
    `),
  );
  assert.deepEqual(problems.map((problem) => problem.coordinate).sort(), [
    'ItemConnection',
    'ItemConnection.edges',
    'ItemEdge.cursor',
    'ItemEdge.node',
    'Query.items',
    'Query.list',
  ]);
});
