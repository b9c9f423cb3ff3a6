// End-to-end: reaching a person from the widget, and what the host receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv/dist/2020.js';
import { start, page } from './browser.mjs';

// The bundle's JSON Schema is generated from the Rust types (see src/handoff/bundle.rs); what
// the host receives must validate against it. Numeric formats (uint32, double) are annotations.
const validateBundle = new Ajv({ strict: false, validateFormats: false }).compile(
  JSON.parse(readFileSync(new URL('../../widget/handoff.schema.json', import.meta.url))),
);

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const queue = () => {
  window.__events = [];
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  for (const e of ['escalated', 'handoff-delivered', 'handoff-failed']) Baton('on', e, (p) => __events.push([e, p.reference]));
};

test('no answer → ask a person: prefilled form, plain-words preview, delivery with a ticket and a reference', async () => {
  const p = await page(env.browser, {
    init: () => {
      window.__events = [];
      window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
      for (const e of ['escalated', 'handoff-delivered', 'handoff-failed']) Baton('on', e, (p) => __events.push([e, p.reference]));
      Baton('on', 'handoff', (bundle) => { window.__bundle = bundle; return Promise.resolve('TICKET-42'); });
    },
  });
  await p.goto(env.base + '/');
  await p.locator('#sync-bank').click();
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('teleport my invoices to mars');
  await p.locator('.no-answer .link').click();
  await p.locator('.escalate').waitFor();
  assert.equal(await p.locator('.escalate textarea').inputValue(), 'teleport my invoices to mars', 'prefilled from the search');
  assert.match(await p.locator('.preview').textContent(), /1 error\(s\) and 1 console message\(s\)|0 error\(s\) and 1 console message\(s\)/);

  await p.locator('.send').click();
  await p.locator('.problem', { hasText: 'email' }).waitFor();
  await p.locator('.escalate input[type=email]').fill('sam@client.example');
  await p.locator('.share', { hasText: 'Errors the page showed' }).locator('input').uncheck();
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  assert.match(await p.locator('.sent').textContent(), /Your ticket: TICKET-42/);
  const reference = await p.locator('.reference').textContent();
  assert.match(reference, /^BTN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$/);

  const bundle = await p.evaluate(() => window.__bundle);
  assert.ok(validateBundle(bundle), JSON.stringify(validateBundle.errors));
  assert.equal(bundle.reference, reference);
  assert.equal(bundle.description, 'teleport my invoices to mars');
  assert.equal(bundle.identity.email, 'sam@client.example');
  assert.ok(bundle.omitted.some((o) => o.startsWith('console errors')));
  assert.ok(!bundle.errors.some((e) => e.kind === 'consoleError'), 'the user left console errors out');
  assert.ok(bundle.steps.some((s) => s.includes('Clicked "Sync bank feed')), bundle.steps.join('\n'));
  assert.equal(bundle.selfService.searches.at(-1).query, 'teleport my invoices to mars');
  assert.deepEqual(await p.evaluate(() => __events), [['escalated', reference], ['handoff-delivered', reference]]);
  await p.context().close();
});

test('Baton("escalate") from a host link opens the prefilled form; with no delivery set up the user is told so', async () => {
  const p = await page(env.browser, { init: queue });
  await p.goto(env.base + '/');
  await p.evaluate(() => Baton('identify', { id: 'u_1', email: 'jane@acme.com' }));
  await p.evaluate(() => Baton('escalate', { description: 'My invoice PDF is blank' }));
  await p.locator('.escalate').waitFor();
  assert.equal(await p.locator('.escalate textarea').inputValue(), 'My invoice PDF is blank');
  assert.equal(await p.locator('.escalate input[type=email]').count(), 0, 'no email asked of an identified user');
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Not sent yet' }).waitFor();
  const reference = await p.locator('.reference').textContent();
  assert.match(await p.locator('.sent').textContent(), /Quote your reference/);
  assert.deepEqual(await p.evaluate(() => __events), [['escalated', reference], ['handoff-failed', reference]]);
  assert.ok(p.consoleLines.some((l) => l.includes(`handoff ${reference} not delivered: no \`handoff\` listener`)));
  await p.context().close();
});
