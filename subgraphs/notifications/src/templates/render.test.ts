import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTemplate, renderTemplate } from './render.js';

test('placeholders are filled from the values; numbers, booleans and null become text', () => {
  const rendered = renderTemplate('Hi {{name}}, {{count}} new, vip={{vip}}, note=[{{note}}]', { name: 'Ada', count: 3, vip: true, note: null });
  assert.deepEqual(rendered, { text: 'Hi Ada, 3 new, vip=true, note=[]', unknown: [] });
});

test('spaces inside the braces are allowed; dotted names are looked up as they are', () => {
  assert.equal(renderTemplate('{{ name }} / {{order.id}}', { name: 'Ada', 'order.id': 'o-1' }).text, 'Ada / o-1');
});

test('an unknown placeholder renders as empty text and is reported once', () => {
  const rendered = renderTemplate('Hello {{name}}{{missing}} and {{missing}} {{other}}', { name: 'Ada' });
  assert.equal(rendered.text, 'Hello Ada and  ');
  assert.deepEqual(rendered.unknown, ['missing', 'other']);
});

test('a value that looks like a placeholder stays text: one pass, values never re-scanned', () => {
  const rendered = renderTemplate('Welcome, {{displayName}}!', { displayName: '{{secret}}', secret: 'TOP-SECRET' });
  assert.equal(rendered.text, 'Welcome, {{secret}}!');
  assert.deepEqual(rendered.unknown, []);
});

test('a value that builds a placeholder with its neighbour is not expanded either', () => {
  const rendered = renderTemplate('{{a}}{{b}}', { a: '{{', b: 'secret}}', secret: 'TOP-SECRET' });
  assert.equal(rendered.text, '{{secret}}');
});

test('replacement patterns in values are literal ($&, $1, $`)', () => {
  assert.equal(renderTemplate('x={{v}}', { v: '$& $1 $` $$' }).text, 'x=$& $1 $` $$');
});

test('names of object internals are unknown, not the prototype', () => {
  const rendered = renderTemplate('[{{constructor}}][{{__proto__}}][{{toString}}]', { name: 'Ada' });
  assert.equal(rendered.text, '[][][]');
  assert.deepEqual(rendered.unknown, ['constructor', '__proto__', 'toString']);
});

test('anything that is not a plain name is no placeholder and stays as written', () => {
  assert.equal(renderTemplate('{{ 1 + 1 }} {{name | upper}} {{#each x}}', { name: 'Ada' }).text, '{{ 1 + 1 }} {{name | upper}} {{#each x}}');
});

test('checkTemplate lists the placeholders of a good template', () => {
  assert.deepEqual(checkTemplate('Hi {{name}}, order {{ order.id }} of {{name}}'), { placeholders: ['name', 'order.id'], problems: [] });
  assert.deepEqual(checkTemplate('No placeholders at all { single } braces'), { placeholders: [], problems: [] });
});

test('checkTemplate rejects placeholders outside [a-zA-Z0-9_.] and unpaired braces', () => {
  for (const bad of ['{{ 1 + 1 }}', '{{name | upper}}', '{{#if x}}', '{{}}', '{{ user-name }}', '{{constructor.constructor("x")()}}', 'open {{name', 'close name}}', '{{ {{name}} }}']) {
    assert.ok(checkTemplate(bad).problems.length > 0, `expected "${bad}" to be rejected`);
  }
});
