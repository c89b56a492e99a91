import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, specifiedRules } from 'graphql';
import { ValidatedDocuments } from './validated-documents.js';

const schema = buildSchema('type Query { a: Int } type Subscription { ticks(every: Int): Int }');

test('the same text is parsed and validated once: its subscribers share one document', () => {
  const documents = new ValidatedDocuments(schema, specifiedRules);
  const first = documents.check('subscription { ticks }');
  const second = documents.check('subscription { ticks }');
  assert.ok(first.document);
  assert.equal(second.document, first.document);
  assert.notEqual(documents.check('subscription { ticks(every: 2) }').document, first.document);
});

test('parse and validation errors are told apart, and cached like documents', () => {
  const documents = new ValidatedDocuments(schema, specifiedRules);
  const broken = documents.check('subscription {');
  assert.deepEqual([broken.errors?.length, broken.document === undefined && 'parseFailed' in broken && broken.parseFailed], [1, true]);
  const unknown = documents.check('subscription { nope }');
  assert.ok(unknown.errors && 'parseFailed' in unknown && !unknown.parseFailed);
  assert.equal(documents.check('subscription { nope }'), unknown);
});

test('the least recently used text leaves first when the cache is full', () => {
  const documents = new ValidatedDocuments(schema, specifiedRules, 2);
  const a = documents.check('subscription A { ticks }');
  const b = documents.check('subscription B { ticks }');
  documents.check('subscription A { ticks }');
  documents.check('subscription C { ticks }');
  assert.equal(documents.check('subscription A { ticks }'), a, 'A was used recently and stayed');
  assert.notEqual(documents.check('subscription B { ticks }'), b, 'B was the least recently used: it left and is parsed again');
});
