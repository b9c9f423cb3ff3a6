// Accessibility: axe-core (npm) inside the shadow root on every screen, in light, dark and
// right-to-left; the focus trap; reduced motion; and the phone layout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { start, page } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Runs axe on Baton's element (its shadow tree included) and fails on any violation. */
async function axe(p, screen) {
  if (!(await p.evaluate(() => !!window.axe))) await p.addScriptTag({ path: AXE });
  const result = await p.evaluate(async () => {
    const r = await window.axe.run({ include: [['baton-widget']] }, { resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
      checked: r.passes.reduce((n, v) => n + v.nodes.length, 0) + r.violations.length,
      inShadow: [...r.passes, ...r.violations].some((v) => v.nodes.some((n) => Array.isArray(n.target[0]))),
    };
  });
  assert.deepEqual(result.violations, [], `axe on ${screen}`);
  assert.ok(result.inShadow && result.checked > 5, `axe looked inside the shadow root on ${screen}`);
}

/** Walks every screen: launcher, search, article, flow, escalation, confirmation. */
async function everyScreen(p, label) {
  await p.goto(env.base + '/invoices/new');
  await p.locator('.launcher').waitFor({ state: 'visible' });
  await axe(p, `${label}: launcher`);
  await p.locator('.launcher').click();
  await p.locator('.search-input').waitFor({ state: 'visible' });
  await p.locator('.suggestion, .status').first().waitFor();
  await axe(p, `${label}: search (suggestions)`);
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().waitFor();
  await axe(p, `${label}: search (results)`);
  await p.locator('.search-input').fill('zzqx flurb');
  await p.locator('.no-answer:not([hidden])').waitFor();
  await axe(p, `${label}: search (no answer)`);
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().click();
  await p.locator('.article-title').waitFor();
  await axe(p, `${label}: article`);
  await p.locator('.show-me').click();
  await p.locator('.flow-progress').waitFor();
  await axe(p, `${label}: flow`);
  await p.locator('.footer .person').click();
  await p.locator('.escalate textarea').waitFor();
  await axe(p, `${label}: escalation`);
  await p.locator('.escalate textarea').fill('The amount field rejects my number.');
  await p.locator('.escalate input[type=email]').fill('ana@example.com');
  await p.locator('.send').click();
  await p.locator('.sent h3').waitFor();
  await axe(p, `${label}: confirmation`);
}

test('axe finds no violation on any screen (light)', async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce' } });
  await everyScreen(p, 'light');
  await p.context().close();
});

test('axe finds no violation on any screen (dark, right-to-left Arabic)', async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce', colorScheme: 'dark', locale: 'ar-EG' } });
  await p.addInitScript(() => {
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('theme', { mode: 'auto' });
  });
  await everyScreen(p, 'dark rtl');
  assert.equal(await p.locator('.panel').getAttribute('dir'), 'rtl');
  await p.context().close();
});

test('focus is trapped in the open panel and returns to the launcher on close', async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce' } });
  await p.goto(env.base + '/');
  // The launcher is drawn once launcher.js and baton.css arrived; focus it when it shows.
  await p.locator('.launcher').waitFor({ state: 'visible' });
  await p.locator('.launcher').focus();
  await p.keyboard.press('Enter');
  await p.locator('.panel').waitFor({ state: 'visible' });
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.activeElement?.classList.contains('panel'));
  const where = () => p.evaluate(() => {
    const a = document.activeElement;
    const inner = a && a.shadowRoot ? a.shadowRoot.activeElement : null;
    return inner ? (inner.closest('.panel') ? 'panel:' + (inner.className || inner.tagName) : 'widget:' + inner.className) : 'host:' + (a && a.tagName);
  });
  const seen = new Set();
  for (let i = 0; i < 40; i++) {
    await p.keyboard.press('Tab');
    const at = await where();
    assert.match(at, /^panel:/, `Tab ${i + 1} stayed in the panel (was ${at})`);
    seen.add(at);
  }
  assert.ok(seen.size >= 3, `Tab visited ${[...seen]}`);
  for (let i = 0; i < 10; i++) {
    await p.keyboard.press('Shift+Tab');
    assert.match(await where(), /^panel:/, 'Shift+Tab stays in too');
  }
  // The focus ring is visible.
  const ring = await p.evaluate(() => {
    const el = document.querySelector('baton-widget').shadowRoot.activeElement;
    const cs = getComputedStyle(el);
    return [cs.outlineStyle, parseFloat(cs.outlineWidth)];
  });
  assert.deepEqual(ring, ['solid', 3]);
  await p.keyboard.press('Escape');
  assert.equal(await where(), 'widget:launcher');
  await p.context().close();
});

test('focus is in the panel before the next frame after a click on the launcher: the first keystroke reaches it', async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce' } });
  await p.goto(env.base + '/');
  await p.locator('.launcher').hover();
  await p.waitForFunction(() => typeof Baton === 'function' && !Baton.q);
  await p.waitForTimeout(300);
  // A task after the click's own (and all its microtasks), before any animation frame.
  const inPanel = () => p.evaluate((selector) => new Promise((ok) => {
    const root = document.querySelector('baton-widget').shadowRoot;
    let framed = false;
    requestAnimationFrame(() => { framed = true; });
    root.querySelector(selector).click();
    setTimeout(() => ok({ focus: root.activeElement?.closest('.panel') ? root.activeElement.className || root.activeElement.tagName : null, framed }), 0);
  }), '.launcher');
  const opened = await inPanel();
  assert.ok(opened.focus, `focus in the panel right after the click (${JSON.stringify(opened)})`);
  await p.context().close();
});

test('motion: the panel animates in, unless the visitor asks for reduced motion', async () => {
  for (const [reducedMotion, expected] of [['no-preference', 'baton-in'], ['reduce', 'none']]) {
    const p = await page(env.browser, { context: { reducedMotion } });
    await p.goto(env.base + '/');
    await p.locator('.launcher').click();
    await p.locator('.panel').waitFor({ state: 'visible' });
    assert.equal(await p.locator('.panel').evaluate((el) => getComputedStyle(el).animationName), expected, reducedMotion);
    await p.context().close();
  }
});

test('phone: full screen, 16px inputs, the host page does not scroll behind the panel', async () => {
  const p = await page(env.browser, { context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' } });
  await p.goto(env.base + '/');
  await p.evaluate(() => { document.body.style.minHeight = '3000px'; window.scrollTo(0, 500); });
  const launcher = p.locator('.launcher');
  await launcher.tap();
  const panel = p.locator('.panel');
  await panel.waitFor({ state: 'visible' });
  const box = await panel.boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 390, 844], 'full screen');
  assert.equal(await p.locator('.search-input').evaluate((el) => getComputedStyle(el).fontSize), '16px');
  assert.equal(await p.evaluate(() => getComputedStyle(document.documentElement).overflow), 'hidden', 'host scroll locked');
  await p.mouse.wheel(0, 800);
  await p.waitForTimeout(100);
  assert.equal(await p.evaluate(() => window.scrollY), 500, 'the host did not scroll');
  await p.locator('.footer .person').tap();
  for (const sel of ['.escalate textarea', '.escalate input[type=email]']) {
    assert.equal(await p.locator(sel).evaluate((el) => getComputedStyle(el).fontSize), '16px', sel);
  }
  await p.locator('.close').tap();
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await p.evaluate(() => document.documentElement.style.overflow), '', "the host's overflow is restored");
  assert.equal(await p.evaluate(() => window.scrollY), 500);
  await p.context().close();
});

test('forced colours (Windows high contrast): launcher, panel and buttons keep visible outlines', async () => {
  const p = await page(env.browser, { context: { forcedColors: 'active', reducedMotion: 'reduce' } });
  await p.goto(env.base + '/');
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  const border = (loc) => loc.evaluate((el) => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).borderTopWidth]);
  assert.deepEqual(await border(launcher), ['solid', '1px']);
  await launcher.click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  for (const sel of ['.panel', '.close', '.footer .person']) assert.deepEqual(await border(p.locator(sel)), ['solid', '1px'], sel);
  await p.context().close();
});
