// A host page with a strict Content Security Policy: no inline script, no inline style, wasm
// allowed. Baton must load, theme itself, search, render articles and highlight host elements
// without a single violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page, widgetColors } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

test("strict CSP (script-src 'self' 'wasm-unsafe-eval', style-src 'self'): Baton works with no violation", async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce' } });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Strict host</title>
    <link rel="stylesheet" href="/strict.css">
    <script src="/loader.js" data-kb="/demo-kb.json" data-accent="#0f766e"></script>
    <script src="/strict-config.js"></script></head>
    <body><h1>Strict host</h1><input id="amount" aria-label="Amount"><button id="save">Save</button></body></html>`;
  const config = `Baton('init', { title: 'Strict help', theme: { radius: 6 }, customCss: '.header { border-bottom: 3px solid rgb(1, 2, 3) }' });
    Baton('on', 'ready', function () { window.__ready = true; });
    document.addEventListener('securitypolicyviolation', function (e) { (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI); });`;
  await p.route(env.base + '/strict', (r) => r.fulfill({ contentType: 'text/html', body: html, headers: { 'content-security-policy': CSP } }));
  await p.route(env.base + '/strict-config.js', (r) => r.fulfill({ contentType: 'text/javascript', body: config }));
  await p.route(env.base + '/strict.css', (r) => r.fulfill({ contentType: 'text/css', body: 'body { font-family: serif; }' }));
  await p.goto(env.base + '/strict');

  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal((await widgetColors(p, '.launcher'))['background-color'], 'rgb(15, 118, 110)', 'theme applied without inline style');
  await launcher.click();
  await p.waitForFunction(() => window.__ready === true);
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal(await p.locator('.title').textContent(), 'Strict help');
  assert.equal(await p.locator('.panel').evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '6px');
  assert.equal(await p.locator('.header').evaluate((el) => getComputedStyle(el).borderBottomColor), 'rgb(1, 2, 3)', 'customCss');
  await p.evaluate(() => Baton('theme', { accent: '#7c3aed' }));
  await p.waitForTimeout(50);
  assert.equal((await widgetColors(p, '.header'))['background-color'], 'rgb(124, 58, 237)', 'live theme change');

  // Search, an article (rendered HTML) and a guided flow (its highlight is positioned via CSSOM).
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().click();
  await p.locator('.article-body').waitFor();
  await p.locator('.show-me').click();
  await p.locator('.flow-progress').waitFor();
  // Errors still captured under CSP.
  const snapshot = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.match(JSON.stringify(snapshot), /\/strict/, 'the snapshot knows the page');

  const violations = await p.evaluate(() => window.__violations || []);
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(p.consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l)), []);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});
