// End-to-end: the demo host app (dist/index.html) with Baton embedded from its snippet, in
// Debian's Chromium. Playwright's CSS locators pierce open shadow roots, so `.launcher` and
// `.panel` find the widget's elements inside <baton-widget>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { start, page, fetchedWidget } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const STYLE_PROPS = [
  'font-size', 'font-family', 'font-weight', 'line-height', 'letter-spacing', 'text-transform',
  'color', 'background-color', 'padding-top', 'padding-left', 'margin-top', 'border-top-width',
  'border-top-style', 'border-top-left-radius', 'display', 'width', 'height', 'box-shadow',
];

/** Computed styles of every element matched by each selector, in the page's light DOM
 * (`scope` 'host') or in the widget's shadow root (`scope` 'widget'). */
function stylesOf(p, scope, selectors) {
  return p.evaluate(
    ([scope, sels, props]) => {
      const out = {};
      const root = scope === 'widget' ? document.querySelector('baton-widget').shadowRoot : document;
      for (const sel of sels) {
        const els = [...root.querySelectorAll(sel)];
        out[sel] = els.map((el) => {
          const cs = getComputedStyle(el);
          return Object.fromEntries(props.map((k) => [k, cs.getPropertyValue(k)]));
        });
      }
      return out;
    },
    [scope, selectors, STYLE_PROPS],
  );
}

const WIDGET_PARTS = ['.launcher', '.launcher .label', '.panel', '.header', '.title', '.close', '.body', '.search-input', '.suggestion'];
const HOST_PARTS = ['body', 'nav', 'nav a', 'main', 'h1', '.card', 'button', 'p', 'table', 'td'];

const idle = (p, ms = 400) => p.waitForTimeout(ms);

test('the launcher shows before any widget code is fetched', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  assert.equal(await launcher.textContent(), 'Help');
  await idle(p, 800);
  assert.deepEqual(fetchedWidget(p), [], 'no glue JS or wasm before intent');
  assert.equal(p.requests.filter((u) => u.endsWith('/baton.css')).length, 1, "the launcher's stylesheet, once");
  assert.equal(p.requests.filter((u) => u.endsWith('/launcher.js')).length, 1, 'the launcher, once');
  assert.equal(await p.locator('baton-widget').count(), 1);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('pointer intent fetches the widget once; a click opens it with the queued config', async () => {
  const p = await page(env.browser, {
    // Calls queued before the loader exists, as a host's early code would make them.
    init: () => {
      window.__events = [];
      window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
      Baton('on', 'ready', (info) => __events.push('ready ' + info.version));
      Baton('on', 'open', () => __events.push('open'));
      Baton('on', 'close', () => __events.push('close'));
    },
  });
  await p.goto(env.base + '/');
  const launcher = p.locator('.launcher');
  await launcher.hover();
  await p.waitForFunction(() => __events.length > 0);
  assert.equal(fetchedWidget(p).length, 2, 'hover fetched glue JS and wasm');
  assert.deepEqual(await p.evaluate(() => __events), ['ready 0.1.0'], 'ready fired, panel still closed');
  assert.equal(await p.locator('.panel').isVisible(), false);

  await launcher.click();
  const panel = p.locator('.panel');
  await panel.waitFor({ state: 'visible' });
  assert.equal(await p.locator('.title').textContent(), 'Ledgerly help', "the snippet's queued init applied");
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  assert.equal(await panel.getAttribute('role'), 'dialog');
  assert.equal(fetchedWidget(p).length, 2, 'nothing fetched twice');

  await p.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  const focusOnLauncher = await p.evaluate(() => {
    const host = document.querySelector('baton-widget');
    return document.activeElement === host && host.shadowRoot.activeElement.className === 'launcher';
  });
  assert.ok(focusOnLauncher, 'Escape returns focus to the launcher');
  assert.deepEqual(await p.evaluate(() => __events), ['ready 0.1.0', 'open', 'close']);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('keyboard only: Tab reaches the launcher, Enter opens, the close button closes', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('.launcher').waitFor();
  // Tab through the host's links until the launcher has focus (it is last in the page).
  let onLauncher = false;
  for (let i = 0; i < 15 && !onLauncher; i++) {
    await p.keyboard.press('Tab');
    onLauncher = await p.evaluate(() => document.activeElement?.tagName === 'BATON-WIDGET');
  }
  assert.ok(onLauncher, 'the launcher is in the tab order');
  await p.keyboard.press('Enter');
  await p.locator('.panel').waitFor({ state: 'visible' });
  // Focus moves into the panel in the frame after it renders.
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.activeElement?.classList.contains('panel'));
  await p.keyboard.press('Tab');
  const focused = await p.evaluate(() => document.querySelector('baton-widget').shadowRoot.activeElement.className);
  assert.equal(focused, 'icon close', 'focus moved into the panel, then Tab reached the close button');
  await p.keyboard.press('Enter');
  await p.locator('.panel').waitFor({ state: 'hidden' });
  await p.context().close();
});

test("host CSS does not change the widget, and the widget does not change the host", async () => {
  // The same page without Baton: the loader request is refused.
  const bare = await page(env.browser);
  await bare.route('**/loader.js', (r) => r.abort());
  await bare.goto(env.base + '/');
  await bare.locator('h1').waitFor();
  const hostWithout = await stylesOf(bare, 'host', HOST_PARTS);
  const sheetsWithout = await bare.evaluate(() => document.styleSheets.length);
  await bare.context().close();

  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  await idle(p, 200);
  assert.deepEqual(await stylesOf(p, 'host', HOST_PARTS), hostWithout, "the host's computed styles are unchanged");
  assert.equal(await p.evaluate(() => document.styleSheets.length), sheetsWithout, 'no stylesheet added to the page');
  const onPlainRoute = await stylesOf(p, 'widget', WIDGET_PARTS);
  assert.equal(onPlainRoute['.title'][0]['font-size'], '17px');
  assert.equal(onPlainRoute['.search-input'][0]['font-size'], '16px');

  // SPA navigation to the page whose global CSS sets `* { font-size: 30px !important ... }`.
  await p.locator('nav a[href="/reports"]').click();
  await p.waitForFunction(() => document.body.classList.contains('legacy'));
  const hostH1 = await p.evaluate(() => getComputedStyle(document.querySelector('h1')).fontSize);
  assert.equal(hostH1, '30px', 'the hostile CSS is really active on the host');
  assert.deepEqual(await stylesOf(p, 'widget', WIDGET_PARTS), onPlainRoute, "the widget's computed styles are unchanged");

  // `[hidden] { display: block !important }` on the host must not show a closed panel.
  await p.locator('.close').click();
  await p.locator('.panel').waitFor({ state: 'hidden' });
  assert.equal(await p.locator('.panel').isVisible(), false);
  await p.screenshot({ path: 'target/e2e-legacy-route.png' }).catch(() => {});
  await p.context().close();
});

test('including the loader twice and calling init twice makes one widget', async () => {
  const p = await page(env.browser);
  await p.route(env.base + '/', async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(
      '</body>',
      `<script async src="/loader.js" data-position="bottom-left"></script>
       <script>Baton('init', {title: 'Second init'}); Baton('init', {theme: {launcher: {label: 'Support'}}});</script></body>`,
    );
    await route.fulfill({ response: res, body: html });
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal(await p.locator('baton-widget').count(), 1);
  assert.equal(await p.locator('.panel').count(), 1);
  assert.equal(await p.locator('.launcher').count(), 1);
  assert.equal(await p.locator('.title').textContent(), 'Second init', 'later init calls merge');
  assert.equal(await p.locator('.launcher span').textContent(), 'Support');
  assert.equal(await p.evaluate(() => document.querySelectorAll('script[src="/loader.js"]').length), 2);
  assert.equal(fetchedWidget(p).length, 2, 'the widget code is fetched once');
  await p.context().close();
});

test('preload: "idle" fetches the widget without interaction', async () => {
  const p = await page(env.browser, {
    init: () => {
      window.Baton = function () { (Baton.q = Baton.q || []).push(arguments); };
      Baton('init', { preload: 'idle' });
      Baton('on', 'ready', () => (window.__ready = true));
    },
  });
  await p.goto(env.base + '/');
  await p.waitForFunction(() => window.__ready === true);
  assert.equal(fetchedWidget(p).length, 2);
  assert.equal(await p.locator('.panel').isVisible(), false, 'preloading does not open the panel');
  await p.context().close();
});

test('destroy removes every element and listener; the host app keeps working', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('.launcher').waitFor({ state: 'visible' });
  const before = await p.evaluate(() => document.body.children.length);
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  await p.evaluate(() => Baton('destroy'));
  assert.equal(await p.locator('baton-widget').count(), 0);
  assert.equal(await p.evaluate(() => document.body.children.length), before - 1, 'only the host element was ever added');
  // Calls after destroy are kept for a later loader, never thrown.
  await p.evaluate(() => Baton('open'));
  assert.equal(await p.locator('baton-widget').count(), 0);
  await p.locator('nav a[href="/invoices"]').click();
  await p.locator('h1', { hasText: 'Invoices' }).waitFor();
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('destroy removes every listener Baton added to the window, the document and media queries, and the scroll lock', async () => {
  const p = await page(env.browser);
  await p.setViewportSize({ width: 390, height: 760 }); // narrow: the open panel locks the page's scroll
  await p.addInitScript(() => {
    // Every listener added from Baton's files (its frames in the stack) to a page-wide target,
    // until it is removed again: by removeEventListener or by its AbortSignal.
    Error.stackTraceLimit = 100;
    const live = (window.__batonListeners = []);
    const pageWide = (t) => t === window || t === document || t === document.documentElement || t === document.body || t instanceof MediaQueryList;
    const ours = () => /\/(loader|launcher|baton)\.js|wasm:\/\//.test(new Error().stack || '');
    const capture = (o) => (typeof o === 'boolean' ? o : !!(o && o.capture));
    const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
    const drop = (t, type, f, c) => {
      const i = live.findIndex((r) => r.t === t && r.type === type && r.f === f && r.c === c);
      if (i >= 0) live.splice(i, 1);
    };
    EventTarget.prototype.addEventListener = function (type, f, o) {
      if (f && pageWide(this) && ours() && !live.some((r) => r.t === this && r.type === type && r.f === f && r.c === capture(o))) {
        const record = { t: this, type, f, c: capture(o) };
        live.push(record);
        if (o && o.signal) o.signal.addEventListener('abort', () => drop(record.t, type, f, record.c));
      }
      return add.call(this, type, f, o);
    };
    EventTarget.prototype.removeEventListener = function (type, f, o) {
      drop(this, type, f, capture(o));
      return remove.call(this, type, f, o);
    };
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  const added = await p.evaluate(() => __batonListeners.map((r) => r.type));
  assert.ok(added.length > 0, 'the tracker sees Baton\'s listeners');
  assert.equal(await p.evaluate(() => document.documentElement.style.overflow), 'hidden', 'the full-screen panel holds the page still');
  await p.evaluate(() => Baton('destroy'));
  assert.deepEqual(await p.evaluate(() => __batonListeners.map((r) => `${r.t === window ? 'window' : r.t === document ? 'document' : r.t.constructor.name} ${r.type}`)), [], `added: ${added.join(', ')}`);
  assert.equal(await p.evaluate(() => document.documentElement.style.overflow), '', 'the page scrolls again');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('destroy in the middle of a guided step leaves the page as before init: the same globals, no observer, interval or listener of Baton\'s', async () => {
  const p = await page(env.browser);
  await p.addInitScript(() => {
    // Before any script of the page: the globals as the browser made them, and a count of what
    // Baton's files (their frames in the stack) start and have not stopped.
    Error.stackTraceLimit = 100;
    const ours = () => /\/(loader|launcher|baton)\.js|wasm:\/\//.test(new Error().stack || '');
    const X = XMLHttpRequest.prototype;
    const globals = () => [console.error, console.warn, console.log, history.pushState, history.replaceState, window.fetch, X.open, X.send, window.onerror, window.onunhandledrejection, EventTarget.prototype.dispatchEvent];
    window.__globalsBefore = globals();
    window.__globalsNow = globals;
    const live = (window.__batonLive = { listeners: 0, observers: new Set(), intervals: new Set() });
    const keys = new Map();
    const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
    const pageWide = (t) => t === window || t === document || t === document.documentElement || t === document.body || t instanceof MediaQueryList;
    const key = (t, type, f, o) => [t, type, f, typeof o === 'boolean' ? o : !!(o && o.capture)];
    const find = (k) => [...keys.keys()].find((x) => x.every((v, i) => v === k[i]));
    EventTarget.prototype.addEventListener = function (type, f, o) {
      const k = key(this, type, f, o);
      if (f && pageWide(this) && ours() && !find(k)) {
        keys.set(k, 1);
        live.listeners++;
        if (o && o.signal) o.signal.addEventListener('abort', () => { const x = find(k); if (x) { keys.delete(x); live.listeners--; } });
      }
      return add.call(this, type, f, o);
    };
    EventTarget.prototype.removeEventListener = function (type, f, o) {
      const x = find(key(this, type, f, o));
      if (x) { keys.delete(x); live.listeners--; }
      return remove.call(this, type, f, o);
    };
    for (const Kind of [MutationObserver, ResizeObserver, IntersectionObserver]) {
      const observe = Kind.prototype.observe, disconnect = Kind.prototype.disconnect;
      Kind.prototype.observe = function (...a) { if (ours()) live.observers.add(this); return observe.apply(this, a); };
      Kind.prototype.disconnect = function () { live.observers.delete(this); return disconnect.call(this); };
    }
    const setI = window.setInterval, clearI = window.clearInterval;
    window.setInterval = function (...a) { const id = setI.apply(window, a); if (ours()) live.intervals.add(id); return id; };
    window.clearInterval = function (id) { live.intervals.delete(id); return clearI.call(window, id); };
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().click();
  await p.locator('.article-title', { hasText: 'Amounts must be plain numbers' }).waitFor();
  await p.locator('.show-me').click();
  await p.locator('.highlight').waitFor();
  const during = await p.evaluate(() => ({ listeners: __batonLive.listeners, observers: __batonLive.observers.size, intervals: __batonLive.intervals.size }));
  assert.ok(during.listeners > 0 && during.observers > 0, `the counters see Baton at work: ${JSON.stringify(during)}`);
  const patched = await p.evaluate(() => __globalsNow().map((f, i) => f !== __globalsBefore[i]));
  assert.ok(patched.some(Boolean), 'the loader patched globals while it ran');
  await p.evaluate(() => Baton('destroy'));
  const after = await p.evaluate(() => ({ listeners: __batonLive.listeners, observers: __batonLive.observers.size, intervals: __batonLive.intervals.size }));
  assert.deepEqual(after, { listeners: 0, observers: 0, intervals: 0 });
  assert.deepEqual(await p.evaluate(() => __globalsNow().map((f, i) => f === __globalsBefore[i])), Array(11).fill(true), 'every patched global is the browser\'s again');
  assert.equal(await p.locator('.highlight').count(), 0, 'the guided step\'s outline is gone');
  assert.equal(await p.evaluate(() => document.querySelectorAll('baton-widget').length), 0);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('a launcher that cannot be fetched leaves the page and capture working and says why', async () => {
  const p = await page(env.browser);
  await p.route('**/launcher.js', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await p.goto(env.base + '/');
  await p.waitForFunction(() => typeof Baton === 'function');
  await idle(p, 500);
  assert.ok(p.consoleLines.some((l) => l.startsWith('error: [Baton] could not load the launcher from')), p.consoleLines.join('\n'));
  assert.equal(await p.locator('baton-widget').count(), 0);
  await p.evaluate(() => Baton('open')); // kept, never thrown
  await p.evaluate(() => console.error('host error without a launcher'));
  assert.ok(p.consoleLines.includes('error: host error without a launcher'));
  await p.locator('nav a[href="/billing"]').click();
  await p.locator('h1', { hasText: 'Billing' }).waitFor();
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('a widget that cannot be fetched leaves the page working and says why', async () => {
  const p = await page(env.browser);
  await p.route('**/baton_bg.wasm', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.waitForFunction(() => true);
  await idle(p, 500);
  assert.ok(p.consoleLines.some((l) => l.startsWith('error: [Baton] could not load the widget from')), p.consoleLines.join('\n'));
  assert.equal(await p.locator('.launcher').isVisible(), true);
  // The hooks keep chaining to the host's functions with no widget behind them.
  await p.evaluate(() => console.error('host error after a failed load'));
  assert.ok(p.consoleLines.includes('error: host error after a failed load'));
  await p.locator('nav a[href="/billing"]').click();
  await p.locator('h1', { hasText: 'Billing' }).waitFor();
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('the wasm exports Baton\'s entry points only: no dependency adds JS classes to first open', async () => {
  // Exports are roots no dead-code pass may remove: wasm-streams' three stream classes, linked by
  // Leptos's server_fn, cost 8 KB gzip before patches/wasm-streams replaced it.
  // The glue is minified: its exports are read from the module itself (importing it does not
  // fetch or start the wasm), less wasm-bindgen's own `default` (init) and `initSync`.
  const glue = await import(pathToFileURL(`${env.dist}/baton.js`).href);
  const exported = Object.keys(glue).filter((n) => n != 'default' && n != 'initSync').sort();
  // The benchmark's entry points (src/host/bench.rs) are compiled into its own build only.
  assert.deepEqual(exported, ['boot', 'capture', 'command']);
  const wasm = new WebAssembly.Module(await readFile(`${env.dist}/baton_bg.wasm`));
  const names = WebAssembly.Module.exports(wasm).map((e) => e.name);
  assert.ok(!names.some((n) => /intounderlying/i.test(n)), names.join(' '));
});

test('the release wasm carries no panic hook or panic messages (a panic traps: immediate-abort)', async () => {
  // A hook would never run there, and would link std's default hook and its formatting (2 KB gzip).
  const text = (await readFile(`${env.dist}/baton_bg.wasm`)).toString('latin1');
  for (const s of ['internal error, the widget stopped', 'panicked at']) assert.ok(!text.includes(s), s);
});
