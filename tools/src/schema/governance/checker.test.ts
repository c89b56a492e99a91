import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { composeSdl } from '../composition.js';
import type { ApprovedChange } from './changes.js';
import { type CheckReport, checkSupergraph } from './checker.js';
import { renderReport } from './report.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"])';

const ACCOUNTS = `${LINK}
"""A person."""
type User @key(fields: "id") {
  """Id."""
  id: ID!
  """Full name."""
  name: String!
  """Chosen nickname."""
  nickname: String
  """Account state."""
  status: Status!
}
"""Account states."""
enum Status { ACTIVE SUSPENDED DELETED }
type Query {
  """One user."""
  user(id: ID!): User
  """Users in a state."""
  users(status: Status): [User!]!
}
`;

const PHONES = `${LINK}
"""A phone."""
type Device @key(fields: "id") {
  """Id."""
  id: ID!
  """Name."""
  name: String!
}
"""A person."""
type User @key(fields: "id") {
  """Id."""
  id: ID!
  """The user's phones."""
  devices: [Device!]!
}
type Query {
  """One phone."""
  device(id: ID!): Device
}
`;

const OPERATIONS = [
  { file: 'schema/operations/user-card.graphql', source: 'query UserCard($id: ID!) { user(id: $id) { name nickname devices { name } } }' },
];

function supergraphOf(accounts: string, phones = PHONES): string {
  const composed = composeSdl([
    { name: 'accounts', routingUrl: 'http://accounts/graphql', sdl: accounts },
    { name: 'phones', routingUrl: 'http://phones/graphql', sdl: phones },
  ]);
  assert.ok(composed.supergraphSdl, JSON.stringify(composed.errors));
  return composed.supergraphSdl;
}

interface Scenario {
  accounts: string;
  phones?: string;
  /** What schema/accounts.graphql holds (defaults to the printed SDL: no drift). */
  committedAccounts?: string;
  approved?: ApprovedChange[];
  operations?: typeof OPERATIONS;
  manifest?: { committed: string | undefined; generated: string };
}

async function check({ accounts, phones = PHONES, committedAccounts = accounts, approved = [], operations = OPERATIONS, manifest }: Scenario): Promise<CheckReport> {
  const composed = composeSdl([
    { name: 'accounts', routingUrl: 'http://accounts/graphql', sdl: accounts },
    { name: 'phones', routingUrl: 'http://phones/graphql', sdl: phones },
  ]);
  return checkSupergraph({
    subgraphs: [
      { name: 'accounts', routingUrl: 'http://accounts/graphql', printedSdl: accounts, committedSdl: committedAccounts },
      { name: 'phones', routingUrl: 'http://phones/graphql', printedSdl: phones, committedSdl: phones },
    ],
    committedSupergraph: composed.supergraphSdl,
    base: { ref: 'base', supergraphSdl: supergraphOf(ACCOUNTS) },
    operations,
    ...(manifest ? { manifest } : {}),
    approved,
  });
}

describe('schema checks on fixture SDL pairs', () => {
  test('an unchanged supergraph passes', async () => {
    const report = await check({ accounts: ACCOUNTS });
    assert.equal(report.passed, true, renderReport(report));
    assert.deepEqual(report.changes, []);
  });

  test('removing a field an operation uses fails naming the operation, even when approved', async () => {
    const report = await check({
      accounts: ACCOUNTS.replace('  """Chosen nickname."""\n  nickname: String\n', ''),
      approved: [{ coordinate: 'User.nickname', type: 'FIELD_REMOVED', reason: 'testing' }],
    });
    assert.equal(report.passed, false);
    assert.equal(report.operationProblems[0]?.operation, 'UserCard');
    assert.match(report.operationProblems[0]?.message ?? '', /nickname/);
    assert.match(renderReport(report), /error\[OPERATION\]: UserCard \(schema\/operations\/user-card.graphql\)/);
  });

  test("an operation over the gateway's default query limits fails naming the operation", async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `n${index}: name`).join(' ');
    const report = await check({ accounts: ACCOUNTS, operations: [{ file: 'schema/operations/many-names.graphql', source: `query ManyNames($id: ID!) { user(id: $id) { ${aliases} } }` }] });
    assert.equal(report.passed, false);
    assert.equal(report.operationProblems[0]?.operation, 'ManyNames');
    assert.match(report.operationProblems[0]?.message ?? '', /Aliases limit of 15 exceeded, found 16/);
  });

  test('removing an unused field is reported breaking and passes once approved', async () => {
    const accounts = ACCOUNTS.replace('  """Account state."""\n  status: Status!\n', '');
    const refused = await check({ accounts });
    assert.equal(refused.passed, false);
    assert.deepEqual(
      refused.changes.map(({ type, severity, coordinate }) => ({ type, severity, coordinate })),
      [{ type: 'FIELD_REMOVED', severity: 'BREAKING', coordinate: 'User.status' }],
    );
    assert.match(renderReport(refused), /│ FAIL +│ BREAKING +│ FIELD_REMOVED +│ User\.status/);
    assert.match(renderReport(refused), /^Check failed: .*1 unapproved breaking change/m);

    const approved = await check({ accounts, approved: [{ coordinate: 'User.status', type: 'FIELD_REMOVED', reason: 'status moves to the Account type' }] });
    assert.equal(approved.passed, true, renderReport(approved));
    assert.equal(approved.changes[0]?.approvedBecause, 'status moves to the Account type');
  });

  test('a stale or missing operation manifest is drift, naming the command that rewrites it', async () => {
    const current = await check({ accounts: ACCOUNTS, manifest: { committed: '{"operations":[]}\n', generated: '{"operations":[]}\n' } });
    assert.equal(current.passed, true, renderReport(current));
    for (const committed of ['{"operations":[1]}\n', undefined]) {
      const stale = await check({ accounts: ACCOUNTS, manifest: { committed, generated: '{"operations":[]}\n' } });
      assert.equal(stale.passed, false);
      assert.match(renderReport(stale), /error\[DRIFT\]: schema\/operations\/manifest.json differs from the operations as Apollo Client sends them: run npm run schema:manifest/);
    }
  });

  test('adding a field passes and is reported safe', async () => {
    const report = await check({ accounts: ACCOUNTS.replace('  """Chosen nickname."""', '  """Where the user lives."""\n  city: String\n  """Chosen nickname."""') });
    assert.equal(report.passed, true, renderReport(report));
    assert.ok(report.changes.some((change) => change.type === 'FIELD_ADDED' && change.coordinate === 'User.city'), JSON.stringify(report.changes));
    assert.ok(report.changes.every((change) => change.severity === 'SAFE'));
  });

  test('two subgraphs defining the same non-shareable field fail with the composition error code', async () => {
    const report = await check({ accounts: ACCOUNTS, phones: PHONES.replace('  """The user\'s phones."""', '  """Full name."""\n  name: String!\n  """The user\'s phones."""') });
    assert.equal(report.passed, false);
    assert.ok(report.compositionErrors.some((error) => error.code === 'INVALID_FIELD_SHARING'), JSON.stringify(report.compositionErrors));
    assert.match(renderReport(report), /error\[INVALID_FIELD_SHARING\]/);
  });

  test('an edited subgraph whose schema file was not re-emitted fails as drift', async () => {
    const edited = ACCOUNTS.replace('  """Chosen nickname."""', '  """Where the user lives."""\n  city: String\n  """Chosen nickname."""');
    const report = await check({ accounts: edited, committedAccounts: ACCOUNTS });
    assert.equal(report.passed, false);
    assert.ok(report.drift.some((problem) => problem.includes('schema/accounts.graphql')), JSON.stringify(report.drift));
  });

  test('removing an enum value is breaking', async () => {
    const report = await check({ accounts: ACCOUNTS.replace('ACTIVE SUSPENDED DELETED', 'ACTIVE SUSPENDED') });
    assert.equal(report.passed, false);
    assert.deepEqual(report.changes.map(({ type, severity, coordinate }) => ({ type, severity, coordinate })), [
      { type: 'ENUM_VALUE_REMOVED', severity: 'BREAKING', coordinate: 'Status.DELETED' },
    ]);
  });

  test('turning a nullable argument non-null is breaking', async () => {
    const report = await check({ accounts: ACCOUNTS.replace('users(status: Status)', 'users(status: Status!)') });
    assert.equal(report.passed, false);
    assert.deepEqual(report.changes.map(({ type, severity, coordinate }) => ({ type, severity, coordinate })), [
      { type: 'FIELD_ARGUMENT_TYPE_CHANGED', severity: 'BREAKING', coordinate: 'Query.users.status' },
    ]);
  });
});
