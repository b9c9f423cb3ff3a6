// End-to-end: nothing the host or the page says is lost — calls queued before the loader,
// errors before it (the README snippet's buffer), noisy consoles, odd throwables, every kind of
// drop counted — and the KPI half of the handoff (self-service-resolved, how far self-service
// got, contextCompleteness) with the demo's agent view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv/dist/2020.js';
import { start, page, hostHtml, fetchedWidget, loopback } from './browser.mjs';

const validateBundle = new Ajv({ strict: false, validateFormats: false }).compile(
  JSON.parse(readFileSync(new URL('../../widget/handoff.schema.json', import.meta.url))),
);
// README's inline snippet, exactly as a host pastes it (widget/snippet.html).
const SNIPPET = readFileSync(new URL('../../widget/snippet.html', import.meta.url), 'utf8').match(/<script>[\s\S]*?<\/script>/)[0]
  .replace("Baton('init', { title: 'Help' });", '');

test('the demo page embeds exactly README\'s snippet (widget/snippet.html)', () => {
  const iife = (text) => text.match(/\(function \(w, B\) \{[\s\S]*?\}\)\(window\);/)[0].replace(/\s+/g, ' ');
  const demo = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  assert.equal(iife(demo), iife(SNIPPET));
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.equal(iife(readme), iife(SNIPPET));
});

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** A host page with README's snippet (`snippet: true`) or the one-line stub, `head` after it,
 * and the loader delayed by `delay` ms so that the page's own scripts run before it. */
async function host(p, { head = '', body = '', snippet = false, delay = 0, attrs = '' } = {}) {
  if (delay) {
    await p.route(env.base + '/loader.js', async (route) => {
      await new Promise((ok) => setTimeout(ok, delay));
      await route.fallback();
    });
  }
  let html = hostHtml({ head, body, attrs });
  if (snippet) html = html.replace(/<script>window\.Baton = [^<]*<\/script>/, SNIPPET);
  // Not waiting for `load`, which waits for the (delayed) async loader too.
  await p.route(env.base + '/host', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await p.goto(env.base + '/host', { waitUntil: 'domcontentloaded' });
}

const snapshot = (p) => p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));

test('open, toggle and escalate queued before the loader open the widget as soon as it runs, in order, once', async () => {
  const p = await page(env.browser);
  await host(p, {
    head: `<script>
      window.__events = [];
      for (const e of ['ready', 'open', 'close']) Baton('on', e, () => __events.push(e));
      Baton('open'); Baton('toggle'); Baton('toggle');
    </script>`,
  });
  await p.locator('.panel').waitFor({ state: 'visible' }); // no hover, no click
  await p.waitForFunction(() => __events.includes('ready'));
  assert.deepEqual(await p.evaluate(() => __events), ['open', 'close', 'open', 'ready']);
  assert.equal(fetchedWidget(p).length, 2, 'glue and wasm fetched once');
  await p.context().close();

  // A "Contact support" deep link: escalate from the inline snippet, prefilled.
  const q = await page(env.browser);
  await host(q, { head: `<script>Baton('escalate', { description: 'Opened from ?help=1' });</script>` });
  await q.locator('.escalate').waitFor();
  assert.equal(await q.locator('.escalate textarea').inputValue(), 'Opened from ?help=1');
  assert.deepEqual(q.pageErrors, []);
  await q.context().close();
});

test('snapshot loads the widget when needed and always answers — with null when the widget cannot load', async () => {
  const p = await page(env.browser);
  await host(p, { head: `<script>Baton('identify', { id: 'u_7' }); Baton('snapshot', (s) => { window.__early = s; });</script>` });
  await p.waitForFunction(() => window.__early !== undefined, null, { timeout: 15000 });
  assert.equal(await p.evaluate(() => __early.identity.id), 'u_7', 'queued before the loader: answered after the replay');
  assert.equal(await p.locator('.panel').isVisible(), false, 'a snapshot does not open the panel');
  await p.context().close();

  // Called after the loader ran, before anything loaded the widget.
  const q = await page(env.browser);
  await host(q);
  await q.locator('.launcher').waitFor();
  assert.deepEqual(fetchedWidget(q), []);
  const s = await snapshot(q);
  assert.equal(s.routes[0].url, '/host');
  await q.context().close();

  // The wasm is unreachable: the callback still hears back, with null.
  const r = await page(env.browser);
  await r.route(env.base + '/baton_bg.wasm', (route) => route.fulfill({ status: 503, body: 'down' }));
  await host(r);
  assert.equal(await snapshot(r), null);
  assert.ok(r.consoleLines.some((l) => l.includes('[Baton] could not load the widget')));
  await r.context().close();
});

test("README's snippet keeps errors and rejections from before the loader; without it they are not seen", async () => {
  const early = `<script>
    setTimeout(function () { throw new RangeError('boom before the loader'); });
    Promise.reject(new Error('rejected before the loader'));
  </script>`;
  const p = await page(env.browser);
  await host(p, { snippet: true, head: early, delay: 400 });
  await p.waitForTimeout(150);
  assert.equal(await p.evaluate(() => typeof Baton.loader), 'undefined', 'the loader has not run yet');
  await p.waitForFunction(() => Baton.loader === 1);
  const s = await snapshot(p);
  const messages = s.errors.map((e) => `${e.kind}: ${e.message} ×${e.count}`);
  assert.ok(messages.includes('uncaught: RangeError: boom before the loader ×1'), messages.join('\n'));
  assert.ok(messages.includes('rejection: Error: rejected before the loader ×1'), messages.join('\n'));
  const uncaught = s.errors.find((e) => e.kind === 'uncaught');
  assert.match(uncaught.source, /\/host:\d+:\d+$/);
  // The loader took over: a later error is recorded once, not twice.
  await p.evaluate(() => setTimeout(() => { throw new Error('after the loader'); }));
  await p.waitForTimeout(100);
  const t = await snapshot(p);
  assert.equal(t.errors.filter((e) => e.message === 'Error: after the loader').map((e) => e.count).join(), '1');
  await p.context().close();

  const q = await page(env.browser);
  await host(q, { head: early, delay: 400 });
  await q.waitForFunction(() => Baton.loader === 1);
  const u = await snapshot(q);
  assert.ok(!u.errors.some((e) => e.message.includes('before the loader')), 'without the snippet: as before, not seen');
  await q.locator('.launcher').waitFor();
  await q.context().close();
});

test('a console storm before the widget loads folds and never pushes out errors, rejections or failed requests', async () => {
  const p = await page(env.browser);
  await host(p, {
    // After the loader ran (the load event waits for it), before anything loaded the widget.
    body: `<script>addEventListener('load', function () {
      for (var i = 0; i < 500; i++) { console.warn('deprecated API used'); console.error('chatty log line ' + i); }
      setTimeout(function () { throw new TypeError('the error that made them ask'); });
      Promise.reject(new Error('a rejection after the noise'));
      fetch('/api/after-the-noise');
    });</script>`,
  });
  await p.waitForTimeout(400);
  assert.deepEqual(fetchedWidget(p), [], 'all of it before the widget loaded');
  const s = await snapshot(p);
  const kinds = (k) => s.errors.filter((e) => e.kind === k);
  assert.equal(kinds('uncaught')[0]?.message, 'TypeError: the error that made them ask');
  assert.equal(kinds('rejection')[0]?.message, 'Error: a rejection after the noise');
  assert.ok(s.failedRequests.some((r) => r.url.endsWith('/api/after-the-noise') && r.status >= 400), JSON.stringify(s.failedRequests));
  assert.equal(kinds('consoleWarn')[0].count, 500, 'repeats folded into one entry with their count');
  assert.equal(kinds('consoleError')[0].count, 99, 'console lines have their own room (100, one of them the warning)');
  assert.equal(s.dropped.early.console, 401, 'what did not fit is counted by kind');
  assert.equal(s.dropped.early.uncaught + s.dropped.early.rejections + s.dropped.early.requests, 0);
  console.log(`# 500 distinct + 500 repeated console lines, then an error: kept ${s.errors.length} groups, dropped ${JSON.stringify(s.dropped.early)}`);
  await p.context().close();
});

test("after a storm, errors take one step per group per page and the user's clicks and navigation stay", async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await snapshot(p);
  await p.locator('#send-reminders').click();
  await p.evaluate(() => {
    for (let i = 0; i < 900; i++) console.error(['socket closed', 'retry failed', 'quota low'][i % 3]);
  });
  await p.locator('#sync-bank').click();
  await p.locator('nav a[href="/billing"]').click();
  await p.evaluate(() => console.error('socket closed'));
  const s = await snapshot(p);
  const crumbs = s.breadcrumbs.map((b) => `${b.kind} ${b.message} ×${b.count}`);
  assert.deepEqual(crumbs.filter((c) => c.includes('socket closed')), ['error Console error: socket closed ×300', 'error Console error: socket closed ×1']);
  for (const step of ['click Clicked "Send reminders (throws)" (button#send-reminders) ×1', 'click Clicked "Sync bank feed (logs an error)" (button#sync-bank) ×1', 'navigation Went to /billing ×1']) {
    assert.ok(crumbs.includes(step), `${step} in\n${crumbs.join('\n')}`);
  }
  assert.ok(s.breadcrumbs.length < 15, crumbs.join('\n'));
  await p.context().close();
});

test('thrown objects are shown by their fields, cause chains are kept, and error codes are not redacted', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await snapshot(p);
  await p.evaluate(() => {
    setTimeout(() => { throw { code: 'E_QUOTA', detail: 'Monthly invoice limit reached' }; });
    Promise.reject({ code: 'E_CARD_DECLINED', password: 'hunter2' });
    const low = new TypeError('Failed to fetch', { cause: { code: 'ECONNRESET' } });
    setTimeout(() => { throw new Error('Payment failed', { cause: low }); });
    fetch('/api/oauth/callback?code=4/0AY0e-secret&state=xyz');
  });
  await p.waitForTimeout(200);
  const s = await snapshot(p);
  const messages = s.errors.map((e) => `${e.kind}: ${e.message}`);
  assert.ok(messages.includes('uncaught: {code: "E_QUOTA", detail: "Monthly invoice limit reached"}'), messages.join('\n'));
  assert.ok(messages.includes('rejection: {code: "E_CARD_DECLINED", password: [redacted]}'), messages.join('\n'));
  assert.ok(messages.includes('uncaught: Error: Payment failed; caused by: TypeError: Failed to fetch; caused by: {code: "ECONNRESET"}'), messages.join('\n'));
  assert.ok(!messages.some((m) => m.includes('[object Object]')));
  assert.ok(s.failedRequests.some((r) => r.url.endsWith('/api/oauth/callback?code=[redacted]&state=[redacted]')), JSON.stringify(s.failedRequests));
  assert.ok(!JSON.stringify(s).includes('hunter2') && !JSON.stringify(s).includes('0AY0e'));
  await p.context().close();
});

test('every kind of drop is counted in its own counter', async () => {
  const p = await page(env.browser);
  await host(p, {
    // Before the widget: 120 distinct uncaught errors (room for 100) and 130 clicks (the oldest go).
    body: `<button id="b">b</button><script>addEventListener('load', function () {
      for (var i = 0; i < 120; i++) dispatchEvent(new ErrorEvent('error', { message: 'early ' + i, error: new Error('early ' + i) }));
      for (var i = 0; i < 130; i++) document.getElementById('b').click();
    });</script>`,
  });
  await p.waitForTimeout(200);
  let s = await snapshot(p);
  assert.equal(s.dropped.early.uncaught, 20);
  assert.equal(s.dropped.early.clicks, 31, '130 clicks and the load into 100 places for user actions');
  const counted = await p.evaluate(async () => {
    // Over the rate limit: 300 distinct errors within one second (100 a second are processed).
    // The clock the hooks stamp events with stands still for the burst, so that a slow machine
    // working through the 300 still sees them in one second.
    const realNow = Date.now;
    const frozen = realNow.call(Date);
    Date.now = () => frozen;
    try {
      for (let i = 0; i < 300; i++) console.error({ n: i });
    } finally {
      Date.now = realNow;
    }
    // More than 100 error groups over time.
    const word = (i) => String.fromCharCode(97 + (i % 26), 97 + ((i / 26) | 0));
    for (let round = 0; round < 2; round++) {
      await new Promise((ok) => setTimeout(ok, 1100));
      for (let i = 0; i < 90; i++) console.error('group ' + word(round) + ' ' + word(i));
    }
    // More than 50 failed-request groups.
    await Promise.all(Array.from({ length: 60 }, (_, i) => fetch('/api/missing-' + i)));
    // Re-entered: a getter that logs while Baton renders the value.
    console.error({ get sneaky() { console.error('logged from inside a getter'); return 1; } });
    return new Promise((ok) => Baton('snapshot', ok));
  });
  s = counted;
  assert.ok(s.dropped.rateLimited >= 200, `rateLimited ${s.dropped.rateLimited}`);
  assert.ok(s.dropped.errorGroups > 0, `errorGroups ${s.dropped.errorGroups}`);
  assert.equal(s.dropped.requests, 10);
  assert.equal(s.dropped.reentered, 1);
  // A second snapshot keeps the re-entered count (it was once overwritten at every snapshot).
  const again = await snapshot(p);
  assert.equal(again.dropped.reentered, 1);
  await p.context().close();
});

test('self-service-resolved fires once when a helpful answer ends the visit, and not when the user escalates', async () => {
  const listen = () => {
    window.__events = [];
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('on', 'self-service-resolved', (e) => __events.push(e));
    Baton('on', 'escalated', (b) => __events.push(b.selfServiceProgress));
  };
  const read = async (p, query) => {
    await p.locator('.search-input').fill(query);
    await p.locator('.result').first().click();
    await p.locator('.article-title').waitFor();
  };
  const p = await page(env.browser, { init: listen });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await read(p, 'reconnect bank feed');
  await p.locator('.chip', { hasText: 'Yes' }).click();
  assert.deepEqual(await p.evaluate(() => __events), [], 'not before the visit ends');
  await p.keyboard.press('Escape');
  await p.waitForFunction(() => __events.length > 0);
  assert.deepEqual(await p.evaluate(() => __events), [{ id: 'bank-feed-token', title: 'Reconnect your bank feed', searches: 1 }]);
  await p.locator('.launcher').click();
  await p.keyboard.press('Escape');
  assert.equal((await p.evaluate(() => __events)).length, 1, 'once');
  await p.context().close();

  const q = await page(env.browser, { init: listen });
  await q.goto(env.base + '/');
  await q.locator('.launcher').click();
  await read(q, 'reconnect bank feed');
  await q.locator('.chip', { hasText: 'Yes' }).click();
  await q.locator('.back').click();
  await q.locator('.person').click();
  await q.locator('.escalate textarea').fill('Still broken after reconnecting');
  await q.locator('.escalate input[type=email]').fill('sam@client.example');
  await q.locator('.send').click();
  await q.locator('.sent').waitFor();
  await q.keyboard.press('Escape');
  await q.waitForTimeout(100);
  const events = await q.evaluate(() => __events);
  assert.equal(events.length, 1, 'escalated only');
  assert.deepEqual(events[0], { reached: 'answered', searches: 1, unansweredSearches: 0, articles: 1, helpful: 1, notHelpful: 0 });
  await q.context().close();
});

test('contextCompleteness: a bare session scores lower than a rich one, and the demo shows the agent side', async () => {
  const grab = () => {
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('on', 'escalated', (b) => { window.__bundle = b; });
  };
  const bare = await page(env.browser, { init: grab });
  await bare.goto(env.base + '/');
  await bare.evaluate(() => Baton('escalate', {}));
  await bare.locator('.escalate textarea').fill('help');
  await bare.locator('.escalate input[type=email]').fill('a@b.co');
  await bare.locator('.send').click();
  await bare.waitForFunction(() => window.__bundle);
  const b1 = await bare.evaluate(() => __bundle);
  assert.ok(validateBundle(b1), JSON.stringify(validateBundle.errors));
  await bare.context().close();

  const rich = await page(env.browser, { init: grab });
  await rich.goto(env.base + '/');
  await rich.evaluate(() => Baton('identify', { id: 'u_9', email: 'jane@acme.com', name: 'Jane' }));
  await rich.locator('#send-reminders').click();
  await rich.locator('nav a[href="/billing"]').click();
  await rich.locator('.launcher').click();
  await rich.locator('.search-input').fill('card declined');
  await rich.locator('.result').first().click();
  await rich.locator('.chip', { hasText: 'No' }).click();
  await rich.locator('.feedback .link').click();
  await rich.locator('.escalate textarea').fill('My card is declined <img src=x onerror="window.__pwned=1">');
  await rich.locator('.send').click();
  await rich.waitForFunction(() => window.__bundle);
  const b2 = await rich.evaluate(() => __bundle);
  assert.ok(validateBundle(b2), JSON.stringify(validateBundle.errors));
  assert.ok(b1.contextCompleteness < b2.contextCompleteness, `${b1.contextCompleteness} < ${b2.contextCompleteness}`);
  assert.ok(b1.contextMissing.includes('selfService') && b1.contextMissing.includes('activity'), b1.contextMissing.join());
  assert.equal(b2.contextCompleteness, 1, b2.contextMissing.join());
  assert.equal(b2.selfServiceProgress.reached, 'answered');

  // The demo's support inbox shows the same handoff the way an agent reads it.
  const card = rich.locator(`#inbox .ticket[data-reference="${b2.reference}"]`);
  await card.waitFor();
  const text = await card.textContent();
  for (const part of [b2.reference, 'Jane', b2.summary, 'My card is declined <img src=x onerror="window.__pwned=1">',
    'Clicked "Send reminders (throws)"', "TypeError: Cannot read properties of undefined (reading 'email')", 'Searched "card declined"', '(not helpful)', '100% complete']) {
    assert.ok(text.includes(part), `${part} in the agent view:\n${text}`);
  }
  assert.equal(await rich.evaluate(() => window.__pwned), undefined, 'bundle strings render as text');
  assert.equal(await rich.locator('#inbox img').count(), 0);
  await rich.context().close();
});

test("Baton's own requests (through gloo-net) are never the host's failed requests", async () => {
  const server = await loopback(() => [503, { error: 'busy' }, { 'retry-after': '30' }]);
  // The demo page itself (a page fulfilled by the test would be "public" to Chromium's local
  // network access checks, which then block the loopback endpoint).
  const p = await page(env.browser, {
    init: `window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
           Baton('init', { kb: '/no-such-kb.json', handoff: { endpoint: '${server.url}/handoffs' } });`,
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('Endpoint is busy');
  await p.locator('.escalate input[type=email]').fill('sam@client.example');
  await p.locator('.send').click();
  for (let i = 0; i < 50 && server.calls.length === 0; i++) await new Promise((ok) => setTimeout(ok, 100));
  assert.ok(server.calls.length >= 1, 'the endpoint was called');
  await p.evaluate(() => fetch('/api/host-call-that-fails'));
  const s = await snapshot(p);
  assert.deepEqual(s.failedRequests.map((r) => r.url.replace(/^https?:\/\/[^/]+/, '')), ['/api/host-call-that-fails']);
  await p.context().close();
  await server.close();
});
