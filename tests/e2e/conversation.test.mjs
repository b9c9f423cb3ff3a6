// End-to-end: the conversation follows the customer. A real baton-relay process; the demo page in
// Chromium. Replies reach an open widget live, a reloaded one and a second browser of the same
// customer; the unread badge and event clear on both when one reads; the customer's answer reaches
// the inbox; reset then identify as someone else shows nothing of the first; consent gates storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jwt as signToken } from './identity.mjs';
import { start, page, inWidget } from './browser.mjs';
import { startRelay } from './relay-process.mjs';

const TOKEN = 'e2e-agent-token-0123456789abcdefghij';
const SECRET = 'e2e-conversation-secret';
let env, relay;

before(async () => {
  env = await start();
  relay = await startRelay({ env: { BATON_AGENT_TOKEN: TOKEN, BATON_IDENTITY_SECRET: SECRET, BATON_ALLOWED_ORIGINS: env.base } });
});
after(async () => {
  relay?.stop();
  await env?.close();
});

const jwt = (claims) => signToken(claims, SECRET);

const init = (token, extra = '') => `
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  Baton('init', { handoff: { endpoint: '${relay.url}/v1/handoffs' }${extra} });
  ${token ? `Baton('identify', { token: '${token}' });` : ''}
  window.__unread = [];
  Baton('on', 'unread', (e) => window.__unread.push(e.count));
  Baton('on', 'handoff-delivered', () => { window.__delivered = true; });`;

const agent = (path, options = {}) => fetch(relay.url + path, { ...options, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(options.headers || {}) } });
const badge = (p) => p.evaluate(() => {
  const b = document.querySelector('baton-widget').shadowRoot.querySelector('.launcher');
  return { count: b.dataset.unread || null, label: b.getAttribute('aria-label') };
});

async function escalate(p, description) {
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill(description);
  await p.locator('.send').click();
  await p.waitForFunction(() => window.__delivered);
  return p.locator('.reference').first().textContent();
}

test('a reply reaches the open widget live, a reloaded one and a second browser; reading on one clears the badge on both; the answer reaches the inbox', async () => {
  const customer = { sub: 'u_conv_1', email: 'conv1@client.example', name: 'Conny' };
  const desk = await page(env.browser, { init: init(jwt(customer)) });
  await desk.goto(env.base + '/billing');
  const reference = await escalate(desk, 'My invoice is wrong');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.verifiedBy, 'token', 'filed under the verified session');
  await desk.locator('.close').click();

  // A second browser (fresh storage) of the same customer, with its own token.
  const phone = await page(env.browser, { init: init(jwt(customer)) });
  await phone.goto(env.base + '/');

  const reply = await agent(`/v1/handoffs/${api.ticket}/replies`, { method: 'POST', body: JSON.stringify({ body: 'Fixed <b>it</b> — see your new invoice.' }) });
  assert.equal(reply.status, 201);
  for (const p of [desk, phone]) {
    await p.waitForFunction(() => document.querySelector('baton-widget')?.shadowRoot.querySelector('.launcher')?.dataset.unread === '1');
    const b = await badge(p);
    assert.match(b.label, /1 unread/);
    await p.waitForFunction(() => window.__unread.includes(1));
  }

  // Reload: still there (the stored session resumes, nothing missed).
  await desk.reload();
  await desk.waitForFunction(() => document.querySelector('baton-widget')?.shadowRoot.querySelector('.launcher')?.dataset.unread === '1');

  // Reading on the phone clears both.
  await phone.locator('.launcher').click();
  await phone.locator('.conversations-entry').click();
  await phone.locator('.conversation', { hasText: reference }).click();
  await phone.locator('.message.from-agent', { hasText: 'Fixed <b>it</b> — see your new invoice.' }).waitFor();
  assert.equal(await inWidget(phone, (root) => root.querySelectorAll('.message b:not(.author)').length), 0, 'text, never markup');
  for (const p of [phone, desk]) {
    await p.waitForFunction(() => !document.querySelector('baton-widget').shadowRoot.querySelector('.launcher').dataset.unread);
    await p.waitForFunction(() => window.__unread.at(-1) === 0);
  }

  // The customer answers from the phone: the inbox shows it.
  await phone.locator('.reply textarea').fill('Thanks, that works');
  await phone.locator('.send-reply').click();
  await phone.locator('.message.from-customer', { hasText: 'Thanks, that works' }).waitFor();
  const inbox = await (await agent(`/inbox/${api.ticket}`)).text();
  assert.ok(inbox.includes('Thanks, that works'), 'the inbox shows the customer\'s answer');
  // …and the desk's open thread gets it live.
  await desk.locator('.launcher').click();
  await desk.locator('.conversations-entry').click();
  await desk.locator('.conversation', { hasText: reference }).click();
  await desk.locator('.message.from-customer', { hasText: 'Thanks, that works' }).waitFor();
  await agent(`/v1/handoffs/${api.ticket}/replies`, { method: 'POST', body: JSON.stringify({ body: 'Anything else?' }) });
  await desk.locator('.message.from-agent', { hasText: 'Anything else?' }).waitFor();
  await desk.context().close();
  await phone.context().close();
});

test("a reply email's link opens the conversation in the widget", async () => {
  const customer = { sub: 'u_conv_link', email: 'link@client.example' };
  const p = await page(env.browser, { init: init(jwt(customer)) });
  await p.goto(env.base + '/billing');
  const reference = await escalate(p, 'Follow the link');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  await agent(`/v1/handoffs/${api.ticket}/replies`, { method: 'POST', body: JSON.stringify({ body: 'Open me from the email' }) });
  await p.context().close();
  // Another browser, as the email's link opens it (docs/relay.md, "Email continuity").
  const fresh = await page(env.browser, { init: init(jwt(customer)) });
  await fresh.goto(`${env.base}/billing#baton-conversation=${reference}`);
  await fresh.locator('.thread .message.from-agent', { hasText: 'Open me from the email' }).waitFor();
  assert.ok(await fresh.locator('.panel').isVisible(), 'the panel opened by itself');
  await fresh.context().close();
});

test('reset then identify as another user shows nothing of the first, without a reload', async () => {
  const p = await page(env.browser, { init: init(jwt({ sub: 'u_conv_a', email: 'a@client.example' })) });
  await p.goto(env.base + '/billing');
  const reference = await escalate(p, 'First user problem');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  await agent(`/v1/handoffs/${api.ticket}/replies`, { method: 'POST', body: JSON.stringify({ body: 'Reply for A' }) });
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.launcher').dataset.unread === '1');
  await p.locator('.close').click();

  const other = jwt({ sub: 'u_conv_b', email: 'b@client.example' });
  await p.evaluate((t) => { Baton('reset'); Baton('identify', { token: t }); }, other);
  await p.waitForFunction(() => !document.querySelector('baton-widget').shadowRoot.querySelector('.launcher').dataset.unread);
  const stored = await p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('baton.') && k != 'baton.outbox.v1'));
  assert.ok(!stored.includes('baton.references.v1') && !stored.includes('baton.draft.v1'), `nothing of A stays: ${stored}`);
  await p.locator('.launcher').click();
  await p.waitForTimeout(500);
  assert.equal(await inWidget(p, (root) => root.querySelectorAll('.conversations-entry').length), 0, 'B has no conversations');
  assert.ok(!(await inWidget(p, (root) => root.textContent)).includes(reference), 'nothing of A is shown');
  await p.context().close();
});

test('an anonymous visitor gets their own conversation; with consent required nothing is stored until consent', async () => {
  const p = await page(env.browser, { init: init(null, ", consent: 'required'") });
  await p.goto(env.base + '/');
  await p.waitForFunction(() => window.Baton && window.Baton.loader);
  await p.evaluate(() => Baton('open'));
  await p.evaluate(() => Baton('close'));
  // Opening is the visitor's first interaction: consent, a visitor id and a session.
  await p.waitForFunction(() => localStorage.getItem('baton.session.v1'));

  const strict = await page(env.browser, { init: init(null, ", consent: 'required', preload: 'idle'") });
  await strict.goto(env.base + '/');
  await strict.waitForFunction(() => window.Baton && !window.Baton.q && typeof window.Baton === 'function');
  await strict.waitForTimeout(500);
  assert.deepEqual(await strict.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]), [0, 0, ''], 'nothing stored before consent');
  await strict.evaluate(() => Baton('consent', true));
  await strict.evaluate(() => Baton('open'));
  await strict.waitForFunction(() => localStorage.getItem('baton.session.v1') && localStorage.getItem('baton.visitor.v1'));
  await strict.context().close();
  await p.context().close();
});

test('behind a proxy that will not pass the stream, replies still arrive (the long poll takes over)', async () => {
  // A reverse proxy in front of the relay that refuses every GET /v1/stream, as a buffering proxy
  // would fail it; everything else goes through.
  const { createServer, request } = await import('node:http');
  const proxy = createServer((req, res) => {
    if (req.url.startsWith('/v1/stream')) {
      res.writeHead(502, { 'access-control-allow-origin': req.headers.origin || '*' });
      return res.end();
    }
    const target = new URL(relay.url);
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy()); // the page went away mid-poll
    req.pipe(upstream);
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  const proxied = `http://127.0.0.1:${proxy.address().port}`;
  const p = await page(env.browser, { init: init(jwt({ sub: 'u_conv_poll', email: 'poll@client.example' })).replace(`'${relay.url}/v1/handoffs'`, `'${proxied}/v1/handoffs'`) });
  await p.goto(env.base + '/billing');
  const reference = await escalate(p, 'Behind a proxy');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  await agent(`/v1/handoffs/${api.ticket}/replies`, { method: 'POST', body: JSON.stringify({ body: 'Through the long poll' }) });
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.launcher').dataset.unread === '1', null, { timeout: 60000 });
  assert.ok(p.requests.some((u) => u.includes('/v1/updates?after=')), 'the long poll was used');
  await p.context().close();
  proxy.closeAllConnections();
  await new Promise((ok) => proxy.close(ok));
});
