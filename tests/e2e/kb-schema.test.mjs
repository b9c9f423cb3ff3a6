// The KB JSON Schema (widget/kb.schema.json) accepts the demo KB and rejects the mistakes the
// widget's validator reports, so that KB authors can check their file before publishing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('../../widget/kb.schema.json', import.meta.url)));
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);
const article = ajv.compile({ $ref: schema.$id + '#/$defs/article' });

test('the demo KB is valid', () => {
  const kb = JSON.parse(readFileSync(new URL('../../demo-kb.json', import.meta.url)));
  assert.ok(validate(kb), JSON.stringify(validate.errors));
  assert.ok(validate({ articles: kb }));
});

test('the mistakes the widget reports are schema errors too', () => {
  const bad = [
    { id: 'b', title: '' },
    { title: 'no id' },
    { id: 'c', title: 'C', tags: 'billing' },
    { id: 'd', title: 'D', flow: [{ text: 'x', check: { kind: 'teleport' } }] },
    { id: 'e', title: 'E', body: 42 },
    { id: 'f', title: 'F', flow: [{ highlight: '#x' }] },
    42,
  ];
  for (const a of bad) assert.equal(article(a), false, JSON.stringify(a));
  assert.equal(article({ id: 'ok', title: 'OK', flow: [{ text: 'Open billing', check: { kind: 'route', pattern: '/billing' } }] }), true);
});
