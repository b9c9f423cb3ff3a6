// End-to-end: page-aware capture. Every kind of event is triggered on the demo page (most of
// them before the widget code has loaded, so the loader's early buffer is exercised), then
// `Baton('snapshot')` must hold them, redacted and bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page, fetchedWidget } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Loads the widget (pointer intent) and resolves to a snapshot. */
async function snapshot(p) {
  if (fetchedWidget(p).length === 0) {
    await p.locator('.launcher').hover();
    await p.waitForFunction(() => typeof Baton === 'function' && !Baton.q);
  }
  return p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
}

/** Serves the demo page with `head` injected before the loader and `body` before </body>. */
async function demoWith(p, { head = '', body = '', syncLoader = false } = {}) {
  await p.route(env.base + '/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.includes('.') || url.pathname.startsWith('/api/')) return route.fallback();
    const res = await route.fetch();
    let html = await res.text();
    html = html.replace('<script async src="/loader.js"', head + '<script' + (syncLoader ? '' : ' async') + ' src="/loader.js"');
    html = html.replace('</body>', body + '</body>');
    await route.fulfill({ response: res, body: html });
  });
}

test('errors, console, failed requests, navigation, clicks and DOM hints, from before the wasm', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('.launcher').waitFor();
  await p.locator('#send-reminders').click();
  await p.locator('#sync-bank').click();
  await p.locator('#refresh-payments').click();
  await p.locator('#tool-status', { hasText: 'failed (500)' }).waitFor();
  await p.evaluate(() => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/invoices?api_key=sk_live_abcdefgh12345678');
    x.send('{"amount":1}');
    history.pushState({}, '', '/invoices?session=s3cr3t#top');
    history.back();
  });
  await p.waitForTimeout(300);
  await p.locator('nav a[href="/invoices/new"]').click();
  await p.locator('#amount').fill('jane@acme.com 4242');
  await p.locator('button[type=submit]').click();
  assert.deepEqual(fetchedWidget(p), [], 'all of the above happened before the widget loaded');

  const s = await snapshot(p);
  const uncaught = s.errors.find((e) => e.kind === 'uncaught');
  assert.equal(uncaught.message, "TypeError: Cannot read properties of undefined (reading 'email')");
  assert.equal(uncaught.frames[0].function, 'HTMLButtonElement.<anonymous>');
  assert.ok(uncaught.frames[0].line > 0);
  assert.equal(uncaught.route, '/');
  const consoleError = s.errors.find((e) => e.kind === 'consoleError');
  assert.match(consoleError.message, /^Bank feed sync failed/);

  const [fetchFail, xhrFail] = s.failedRequests;
  assert.deepEqual([fetchFail.api, fetchFail.method, fetchFail.status], ['fetch', 'GET', 500]);
  assert.match(fetchFail.url, /\/api\/payments\?since=2026-11-01$/);
  assert.deepEqual([xhrFail.api, xhrFail.method, xhrFail.status], ['xhr', 'POST', 500]);
  assert.match(xhrFail.url, /\/api\/invoices\?api_key=\[redacted\]$/);
  assert.ok(!JSON.stringify(s).includes('sk_live_abcdefgh12345678'), 'the key never reaches the snapshot');

  const urls = s.routes.map((r) => r.url);
  assert.deepEqual(urls, ['/', '/invoices?session=[redacted]#top', '/', '/invoices/new']);
  assert.deepEqual(s.routes.map((r) => r.via), ['load', 'push', 'pop', 'push']);
  assert.ok(s.routes[0].durationMs > 0, 'time spent on a route');
  assert.equal(s.routes.at(-1).title, 'Ledgerly — New invoice');

  const crumbs = s.breadcrumbs.map((b) => b.message);
  assert.ok(crumbs.includes('Clicked "Send reminders (throws)" (button#send-reminders)'), crumbs.join('\n'));
  assert.ok(crumbs.includes('Clicked "New invoice" (a[href="/invoices/new"])'));
  assert.ok(crumbs.some((c) => c.startsWith('GET /api/payments?since=2026-11-01 failed (HTTP 500)')));

  assert.deepEqual(s.dom.headings, ['New invoice']);
  assert.deepEqual(s.dom.invalidFields, [
    { label: 'Amount (USD)', message: 'Amount must be a number like 120.50', selector: 'input#amount' },
  ]);
  assert.ok(s.dom.alerts.includes('Amount must be a number like 120.50'));
  const text = JSON.stringify(s);
  assert.ok(!text.includes('jane@acme.com') && !text.includes('4242'), 'no input value is ever captured');
  assert.equal(s.environment.browser.split(' ')[0], 'Chrome');
  assert.deepEqual(s.environment.viewport, [1280, 800]);
  assert.equal(s.environment.timezone.length > 0, true);
  await p.context().close();
});

test('identify, context, reset, hints, masks and toasts', async () => {
  const p = await page(env.browser);
  await demoWith(p, {
    head: `<script>
      Baton('identify', {id: 'u_42', email: 'jane@acme.com', name: 'Jane', account: 'Acme', signature: 'hmac-abc'});
      Baton('context', {plan: 'growth', apiToken: 'sk_live_1234567890abcdef', seats: 12});
      Baton('init', {appVersion: '4.2.0'});
    </script>`,
    body: `<div data-baton-hint="Workspace: Acme (trial)"></div>
      <div data-baton-mask><button id="secret-btn">Reveal SSN 123-45-6789</button>
        <p role="alert">Masked alert</p></div>`,
  });
  await p.goto(env.base + '/');
  await snapshot(p);
  await p.locator('#secret-btn').click();
  // A toast that appears and vanishes after the widget loaded.
  await p.evaluate(() => {
    const t = document.createElement('div');
    t.setAttribute('role', 'status');
    t.textContent = 'Invoice INV-1041 sent to bob@globex.com';
    document.body.append(t);
    setTimeout(() => t.remove(), 50);
  });
  await p.waitForTimeout(200);
  const s = await snapshot(p);
  assert.deepEqual(s.identity, { id: 'u_42', email: 'jane@acme.com', name: 'Jane', account: 'Acme', signature: 'hmac-abc' });
  assert.deepEqual(s.custom, { apiToken: '[redacted]', plan: 'growth', seats: 12 });
  assert.equal(s.environment.appVersion, '4.2.0');
  assert.deepEqual(s.dom.hints, ['Workspace: Acme (trial)']);
  assert.ok(!JSON.stringify(s).includes('Reveal SSN') && !JSON.stringify(s).includes('Masked alert'), 'masked content is never captured');
  assert.deepEqual(s.alertsSeen.map((a) => a.text), ['Invoice INV-1041 sent to [email]']);

  await p.evaluate(() => Baton('reset'));
  const r = await snapshot(p);
  assert.equal(r.identity, undefined);
  assert.deepEqual(r.custom, {});
  assert.deepEqual(r.breadcrumbs, []);
  assert.equal(r.routes.length, 1, 'the current route stays');
  await p.context().close();
});

test('a host that patches history and console before and after Baton keeps working, and so does capture', async () => {
  const p = await page(env.browser);
  const patchScript = (tag) => `<script>
    (function () {
      window.__calls = window.__calls || [];
      var push = history.pushState, err = console.error;
      history.pushState = function () { __calls.push('${tag} push'); return push.apply(this, arguments); };
      console.error = function () { __calls.push('${tag} error'); return err.apply(console, arguments); };
    })();
  </script>`;
  await demoWith(p, { head: patchScript('before'), syncLoader: true });
  await p.goto(env.base + '/');
  await snapshot(p);
  // A router (or monitoring tool) that patches after Baton loaded.
  await p.evaluate((src) => {
    const s = document.createElement('div');
    s.innerHTML = src;
    eval(s.querySelector('script').textContent);
  }, patchScript('after'));
  await p.evaluate(() => {
    history.pushState({}, '', '/billing');
    console.error('after both patches');
  });
  assert.deepEqual(await p.evaluate(() => __calls), ['after push', 'before push', 'after error', 'before error']);
  let s = await snapshot(p);
  assert.equal(s.routes.at(-1).url, '/billing');
  assert.ok(s.errors.some((e) => e.message === 'after both patches'));

  // destroy: Baton's wrappers step aside; the host's patches still chain to the originals.
  await p.evaluate(() => Baton('destroy'));
  const result = await p.evaluate(() => {
    __calls.length = 0;
    history.pushState({}, '', '/invoices');
    console.error('after destroy');
    return { calls: __calls, path: location.pathname };
  });
  assert.deepEqual(result, { calls: ['after push', 'before push', 'after error', 'before error'], path: '/invoices' });
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('errors thrown before the wasm loads, and a router that bypasses history, are not lost', async () => {
  const p = await page(env.browser);
  await demoWith(p, {
    syncLoader: true,
    body: `<script>
      setTimeout(function () { throw new RangeError('early boom for jane@acme.com'); });
      Promise.reject(new Error('early rejection'));
      Promise.reject('plain string reason');
      var img = new Image(); img.src = '/missing-logo.png'; document.body.append(img);
    </script>`,
  });
  await p.goto(env.base + '/');
  await p.waitForTimeout(300);
  assert.deepEqual(fetchedWidget(p), []);
  const s = await snapshot(p);
  const messages = s.errors.map((e) => `${e.kind}: ${e.message}`);
  assert.ok(messages.includes('uncaught: RangeError: early boom for [email]'), messages.join('\n'));
  assert.ok(messages.includes('rejection: Error: early rejection'), messages.join('\n'));
  assert.ok(messages.includes('rejection: plain string reason'), messages.join('\n'));
  assert.ok(messages.some((m) => /^resource: <img> .*\/missing-logo\.png$/.test(m)), messages.join('\n'));
  const rejection = s.errors.find((e) => e.message === 'Error: early rejection');
  assert.ok(rejection.frames.length > 0, 'rejection stack parsed');

  // A router that replaced pushState without chaining: noticed at the next snapshot.
  await p.evaluate(() => {
    const raw = History.prototype.pushState;
    history.pushState = function (s, t, u) { return raw.call(history, s, t, u); };
    history.pushState({}, '', '/reports?token=abc');
  });
  const t = await snapshot(p);
  assert.equal(t.routes.at(-1).url, '/reports?token=[redacted]');
  await p.context().close();
});

test('wrapped functions behave for the host exactly as the originals', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await snapshot(p);
  const outcome = await p.evaluate(async () => {
    const out = {};
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    const hostile = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
    const throwing = { get boom() { throw new Error('getter'); } };
    out.consoleReturn = console.error('values', 10n, Symbol('s'), document.body, cyclic, hostile, throwing,
      new Array(100000).fill(7), () => 1, new Date(NaN), null, undefined, NaN, { password: 'hunter2' });
    console.warn('%s has %d items %c', 'cart', 3, 'color: red');
    out.fetchIsPromise = fetch('/api/x') instanceof Promise;
    try { await fetch('http://[bad'); } catch (e) { out.fetchError = e.name; }
    try { history.pushState(() => 1, '', '/x'); } catch (e) { out.pushError = e.name; }
    try { const x = new XMLHttpRequest(); x.open('BAD METHOD', '/'); } catch (e) { out.xhrError = e.name; }
    Baton('no-such-command'); // Baton's own console line must not be captured
    out.pushReturn = history.replaceState({ a: 1 }, '', location.pathname);
    out.state = history.state;
    return out;
  });
  assert.deepEqual(outcome, {
    consoleReturn: undefined,
    fetchIsPromise: true,
    fetchError: 'TypeError',
    pushError: 'DataCloneError',
    xhrError: 'SyntaxError',
    pushReturn: undefined,
    state: { a: 1 },
  });
  const s = await snapshot(p);
  const logged = s.errors.find((e) => e.message.startsWith('values'));
  assert.ok(logged, JSON.stringify(s.errors));
  for (const part of ['10n', 'Symbol(s)', '<body>', '[circular]', '{[unreadable]}', 'boom: [throws]', '…99980 more', '[function ', 'Invalid Date', 'password: [redacted]']) {
    assert.ok(logged.message.includes(part), `${part} in ${logged.message}`);
  }
  assert.ok(!logged.message.includes('hunter2'));
  assert.ok(s.errors.some((e) => e.kind === 'consoleWarn' && e.message === 'cart has 3 items'));
  assert.ok(!s.errors.some((e) => e.message.includes('[Baton]')), "Baton's own lines are never captured");
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('an error storm stays bounded in memory and in the snapshot', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await snapshot(p);
  const took = await p.evaluate(() => {
    const t0 = performance.now();
    for (let i = 0; i < 10000; i++) {
      window.dispatchEvent(new ErrorEvent('error', { message: 'storm ' + ['alpha', 'beta', 'gamma'][i % 3], error: new Error('storm') }));
      console.error('distinct failure ' + String.fromCharCode(97 + (i % 26), 97 + ((i / 26) | 0) % 26, 97 + ((i / 676) | 0) % 26));
    }
    return performance.now() - t0;
  });
  const s = await snapshot(p);
  const storm = s.errors.filter((e) => e.kind === 'uncaught' && e.message.startsWith('storm'));
  assert.equal(storm.length, 3);
  const total = storm.reduce((n, e) => n + e.count, 0);
  assert.equal(total, 10000, 'every repeat is counted');
  assert.ok(s.errors.length <= 100);
  assert.ok(s.breadcrumbs.length <= 100);
  assert.ok(s.dropped.rateLimited > 0, 'distinct errors over the rate limit are counted, not stored');
  const size = JSON.stringify(s).length;
  assert.ok(size < 150_000, `snapshot is ${size} bytes`);
  console.log(`# storm of 20,000 events took ${took.toFixed(0)} ms of main thread; snapshot ${size} bytes`);
  await p.context().close();
});
