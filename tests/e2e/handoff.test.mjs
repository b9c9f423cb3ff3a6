// End-to-end: reaching a person from the widget, and what the host receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv/dist/2020.js';
import { start, page, loopback } from './browser.mjs';

// The bundle's JSON Schema is generated from the Rust types (see crates/baton-core/src/handoff/bundle.rs); what
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
  assert.match(await p.locator('.preview').textContent(), /errors: [01], console messages: 1/);

  await p.locator('.send').click();
  await p.locator('.problem', { hasText: 'email' }).waitFor();
  await p.locator('.escalate input[type=email]').fill('sam@client.example');
  await p.locator('.share', { hasText: 'Errors the page showed' }).locator('input').uncheck();
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  assert.match(await p.locator('.sent').textContent(), /Your ticket: TICKET-42/);
  const reference = await p.locator('.reference').textContent();
  assert.match(reference, /^BTN-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}$/);

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

async function send(p, text) {
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill(text);
  await p.locator('.escalate input[type=email]').fill('sam@client.example');
  await p.locator('.send').click();
}

const endpointInit = () => {
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  Baton('init', { handoff: { endpoint: '/api/handoff' } });
  window.__events = [];
  for (const e of ['handoff-delivered', 'handoff-failed']) Baton('on', e, (p) => __events.push(e));
};

test('endpoint: 503 with Retry-After is retried with the same idempotency key until accepted', async () => {
  const p = await page(env.browser, { init: endpointInit });
  const seen = [];
  await p.route('**/api/handoff', async (route) => {
    const req = route.request();
    seen.push({ key: req.headers()['idempotency-key'], type: req.headers()['content-type'], body: req.postDataJSON() });
    if (seen.length === 1) return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, body: 'busy' });
    return route.fulfill({ status: 201, body: '{}' });
  });
  await p.goto(env.base + '/');
  await send(p, 'The export button does nothing');
  await p.locator('.sent h3', { hasText: 'Saved' }).waitFor();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor({ timeout: 10_000 });
  assert.equal(seen.length, 2);
  assert.equal(seen[0].key, seen[1].key, 'one idempotency key for every attempt');
  assert.match(seen[0].key, /^BTN-/);
  assert.equal(seen[0].type, 'application/json');
  assert.equal(seen[1].body.description, 'The export button does nothing');
  assert.deepEqual(await p.evaluate(() => __events), ['handoff-delivered']);
  assert.equal(await p.evaluate(() => localStorage.getItem('baton.outbox.v1')), '[]');
  const s = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.equal(s.failedRequests.length, 0, "Baton's own retries are not host failures");
  await p.context().close();
});

test('endpoint: a 400 is not retried and the user is told', async () => {
  const p = await page(env.browser, { init: endpointInit });
  let calls = 0;
  await p.route('**/api/handoff', (route) => { calls++; return route.fulfill({ status: 400, body: 'bad' }); });
  await p.goto(env.base + '/');
  await send(p, 'Something broke');
  await p.locator('.sent h3', { hasText: 'Not sent yet' }).waitFor();
  await p.waitForTimeout(2500);
  assert.equal(calls, 1);
  assert.deepEqual(await p.evaluate(() => __events), ['handoff-failed']);
  await p.context().close();
});

test('offline: the handoff survives a reload and goes out by itself when the endpoint is back', async () => {
  const p = await page(env.browser, { init: endpointInit });
  let up = false;
  const delivered = [];
  await p.route('**/api/handoff', (route) => {
    if (!up) return route.abort('internetdisconnected');
    delivered.push(route.request().headers()['idempotency-key']);
    return route.fulfill({ status: 200, body: '{}' });
  });
  await p.goto(env.base + '/');
  await send(p, 'Saved while offline');
  await p.locator('.sent h3', { hasText: 'Saved' }).waitFor();
  const waiting = JSON.parse(await p.evaluate(() => localStorage.getItem('baton.outbox.v1')));
  assert.equal(waiting.length, 1);
  up = true;
  await p.reload();
  // No click: the loader sees the waiting handoff and loads the widget when idle.
  await p.waitForFunction(() => localStorage.getItem('baton.outbox.v1') === '[]', null, { timeout: 15_000 });
  assert.deepEqual(delivered, [waiting[0].key], 'delivered once, with its key');
  await p.context().close();
});

test('what the user typed survives a reload; sent references are shown on return and linked from the next handoff', async () => {
  const p = await page(env.browser, {
    init: () => {
      window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
      Baton('identify', { id: 'u_7', email: 'kim@acme.example' });
      Baton('on', 'handoff', (b) => { (window.__bundles = window.__bundles || []).push(b); return 'T-1'; });
    },
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('Half-written message about exports');
  await p.reload();
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  assert.equal(await p.locator('.escalate textarea').inputValue(), 'Half-written message about exports', 'draft restored after reload');
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  const first = await p.locator('.reference').textContent();

  await p.reload();
  await p.locator('.launcher').click();
  await p.locator('.requests .reference', { hasText: first }).waitFor();
  await p.locator('.person').click();
  assert.equal(await p.locator('.escalate textarea').inputValue(), '', 'the sent draft is gone');
  await p.locator('.escalate textarea').fill('Still broken');
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  const bundles = await p.evaluate(() => window.__bundles);
  assert.deepEqual(bundles.at(-1).related, [first], 'the new handoff links the open one');
  await p.context().close();
});

test('mailto fallback when the app only gives a support address', async () => {
  const p = await page(env.browser, {
    init: () => {
      window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
      Baton('init', { handoff: { email: 'help@ledgerly.example' } });
    },
  });
  await p.goto(env.base + '/');
  await send(p, 'Cannot download my receipt');
  const link = p.locator('.sent a.mail');
  await link.waitFor();
  const href = await link.getAttribute('href');
  const reference = await p.locator('.reference').textContent();
  assert.ok(href.startsWith('mailto:help%40ledgerly.example?subject='), href);
  const url = new URL(href);
  assert.equal(url.searchParams.get('subject'), `[${reference}] Cannot download my receipt`);
  assert.match(url.searchParams.get('body'), new RegExp(`Reference: ${reference}`));
  await p.context().close();
});

test('Zendesk format: a loopback Zendesk-like server receives a Requests API body', async () => {
  const server = await loopback(() => [201, { request: { id: 1 } }]);
  const endpoint = `${server.url}/api/v2/requests.json`;
  const p = await page(env.browser, {
    init: `window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
           Baton('identify', { id: 'u_9', email: 'lee@acme.example', name: 'Lee' });
           Baton('init', { handoff: { endpoint: '${endpoint}', format: 'zendesk' } });`,
  });
  await p.goto(env.base + '/billing');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('Card keeps getting declined');
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  const reference = await p.locator('.reference').textContent();
  await server.close();
  assert.equal(server.calls.length, 1);
  const [path, body, headers] = server.calls[0];
  const key = headers['idempotency-key'];
  assert.equal(path, '/api/v2/requests.json');
  assert.ok(key.startsWith(reference));
  assert.deepEqual(Object.keys(body), ['request']);
  assert.equal(body.request.subject, `[${reference}] Card keeps getting declined`);
  assert.deepEqual(body.request.requester, { name: 'Lee', email: 'lee@acme.example' });
  assert.match(body.request.comment.body, /In their words:\nCard keeps getting declined/);
  assert.match(body.request.comment.body, /Routing: billing \/ high/);
  await p.context().close();
});

test('Chatwoot format: contact, conversation and message reach a loopback Chatwoot-like server; a retry resumes', async () => {
  let messageAttempts = 0;
  const base = '/public/api/v1/inboxes/INB';
  const server = await loopback((path) => {
    if (path === `${base}/contacts`) return [200, { source_id: 'src-1', id: 3 }];
    if (path === `${base}/contacts/src-1/conversations`) return [200, { id: 7 }];
    if (path === `${base}/contacts/src-1/conversations/7/messages`) {
      messageAttempts++;
      return messageAttempts === 1 ? [503, {}, { 'retry-after': '1' }] : [200, { id: 99 }];
    }
    return [404, {}];
  });
  const endpoint = `${server.url}${base}`;
  const p = await page(env.browser, {
    init: `window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
           Baton('identify', { id: 'u_5', email: 'ana@acme.example', name: 'Ana', signature: 'sig-123' });
           Baton('init', { handoff: { endpoint: '${endpoint}', format: 'chatwoot' } });`,
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('Reports export is empty');
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor({ timeout: 15_000 });
  const reference = await p.locator('.reference').textContent();
  await server.close();
  const calls = server.calls;
  const paths = calls.map(([u]) => u.replace(base, ''));
  assert.deepEqual(paths, ['/contacts', '/contacts/src-1/conversations', '/contacts/src-1/conversations/7/messages', '/contacts/src-1/conversations/7/messages'], 'the retry resumed at the message');
  const [contact, conversation, message] = [calls[0][1], calls[1][1], calls[3][1]];
  assert.deepEqual(contact, { custom_attributes: { baton_reference: reference }, identifier: 'u_5', identifier_hash: 'sig-123', email: 'ana@acme.example', name: 'Ana' });
  assert.equal(conversation.custom_attributes.baton_reference, reference);
  assert.equal(conversation.custom_attributes.route, '/');
  assert.match(message.content, /In their words:\nReports export is empty/);
  await p.context().close();
});
