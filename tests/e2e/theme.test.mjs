// Theming: `theme` config and `Baton('theme')`, presets, custom CSS, ::part, host tokens, the
// host's own opener button, and contrast of text on the accent before and after the wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page, hostPage, hostHtml, fetchedWidget, widgetColors, contrast } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const ready = (p) => p.waitForFunction(() => window.__ready === true);
const onReady = `<script>Baton('on', 'ready', () => { window.__ready = true; });</script>`;

test('theme config styles the launcher before any widget code, with readable text, and nothing changes at load', async () => {
  const p = await page(env.browser);
  const theme = { accent: '#facc15', position: 'bottom-left', offset: 32, zIndex: 1000, radius: 4, launcher: { label: 'Support', icon: 'help' } };
  await hostPage(p, env.base, hostHtml({ head: `<script>Baton('init', {theme: ${JSON.stringify(theme)}});</script>${onReady}` }));
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.deepEqual(fetchedWidget(p), [], 'no wasm yet');
  const box = await launcher.boundingBox();
  assert.equal(Math.round(box.x), 32, 'bottom-left, offset 32px');
  assert.equal(Math.round(800 - box.y - box.height), 32);
  assert.equal(await launcher.textContent(), 'Support');
  assert.equal(await launcher.getAttribute('aria-label'), 'Support');
  assert.equal(await launcher.evaluate((b) => getComputedStyle(b).zIndex), '1000');
  assert.equal(await launcher.evaluate((b) => b.querySelector('path').getAttribute('d').slice(0, 8)), 'M12 2a10', 'the help icon');
  const early = await widgetColors(p, '.launcher');
  assert.equal(early['background-color'], 'rgb(250, 204, 21)');
  assert.ok(contrast(early.color, early['background-color']) >= 4.5, `pre-wasm ${early.color} on yellow`);

  await launcher.hover();
  await ready(p);
  const late = await widgetColors(p, '.launcher');
  assert.deepEqual(late, early, 'the Rust-computed colour is the one CSS already showed');
  await launcher.click();
  const header = await widgetColors(p, '.header');
  assert.ok(contrast(header.color, header['background-color']) >= 4.5);
  assert.equal(await p.locator('.panel').evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '4px');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('Baton("theme") applies live: accent, dark and auto presets, readable links', async () => {
  const p = await page(env.browser, { context: { colorScheme: 'dark' } });
  await hostPage(p, env.base, hostHtml({ head: onReady }));
  await p.locator('.launcher').click();
  await ready(p);
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal((await widgetColors(p, '.panel'))['background-color'], 'rgb(255, 255, 255)', 'light by default');

  for (const [accent, text] of [['#4f46e5', 'rgb(255, 255, 255)'], ['#a3e635', 'rgb(0, 0, 0)'], ['rgb(119, 119, 119)', 'rgb(0, 0, 0)'], ['#767676', 'rgb(255, 255, 255)']]) {
    await p.evaluate((a) => Baton('theme', { accent: a }), accent);
    await p.waitForTimeout(50);
    const c = await widgetColors(p, '.header');
    assert.equal(c.color, text, `text on ${accent}`);
    assert.ok(contrast(c.color, c['background-color']) >= 4.5, accent);
  }

  await p.evaluate(() => Baton('theme', { mode: 'dark', accent: '#4f46e5' }));
  await p.waitForTimeout(50);
  assert.equal((await widgetColors(p, '.panel'))['background-color'], 'rgb(17, 24, 39)', 'dark preset');
  // A link in an article uses the accent adjusted to stay readable on the dark background.
  await p.locator('.search-input').fill('is ledgerly down');
  await p.locator('.result').first().click();
  const link = await widgetColors(p, '.article-body a');
  const bg = (await widgetColors(p, '.panel'))['background-color'];
  assert.ok(contrast(link.color, bg) >= 4.5, `link ${link.color} on ${bg}`);

  await p.evaluate(() => Baton('theme', { mode: 'auto' }));
  await p.waitForTimeout(50);
  assert.equal((await widgetColors(p, '.panel'))['background-color'], 'rgb(17, 24, 39)', 'auto follows the dark system setting');
  await p.emulateMedia({ colorScheme: 'light' });
  // The scheme's change event reaches Baton asynchronously: wait for the repaint.
  await p.waitForFunction(() => document.querySelector('baton-widget').dataset.mode === 'light');
  assert.equal((await widgetColors(p, '.panel'))['background-color'], 'rgb(255, 255, 255)', 'and back to light');
  const lightLink = await widgetColors(p, '.article-body a');
  assert.ok(contrast(lightLink.color, 'rgb(255, 255, 255)') >= 4.5, 'links re-derived for the light background');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('custom CSS, ::part() from the host, and host --baton-* tokens beat config', async () => {
  const p = await page(env.browser);
  const head = `<style>
      baton-widget { --baton-accent: rgb(0, 100, 0); --baton-panel-width: 420px; }
      baton-widget::part(launcher) { text-transform: uppercase; }
      baton-widget::part(title) { letter-spacing: 3px; }
    </style>
    <script>Baton('init', {theme: {accent: '#ff0000'}, customCss: '.launcher { border-radius: 3px } .header { border-bottom: 4px solid rgb(1, 2, 3) }'});</script>${onReady}`;
  await hostPage(p, env.base, hostHtml({ head }));
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal(await launcher.evaluate((b) => getComputedStyle(b).borderTopLeftRadius), '3px', 'custom CSS before the wasm');
  assert.equal(await launcher.evaluate((b) => getComputedStyle(b).textTransform), 'uppercase', '::part(launcher)');
  assert.equal((await widgetColors(p, '.launcher'))['background-color'], 'rgb(0, 100, 0)', "the host's token wins over config");
  await launcher.click();
  await ready(p);
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal(await p.locator('.panel').evaluate((el) => el.getBoundingClientRect().width), 420);
  assert.equal(await p.locator('.title').evaluate((el) => getComputedStyle(el).letterSpacing), '3px', '::part(title)');
  assert.equal(await p.locator('.header').evaluate((el) => getComputedStyle(el).borderBottomColor), 'rgb(1, 2, 3)', 'custom CSS after load');
  const header = await widgetColors(p, '.header');
  assert.ok(contrast(header.color, header['background-color']) >= 4.5, 'derived from the colour that won');
  // Parts a host can style, all present.
  const parts = await p.evaluate(() => [...document.querySelector('baton-widget').shadowRoot.querySelectorAll('[part]')].map((e) => e.getAttribute('part')));
  for (const part of ['launcher', 'panel', 'header', 'title', 'close', 'body', 'search', 'footer']) assert.ok(parts.includes(part), part);
  await p.context().close();
});

test('bad theme values are named on the console and skipped; the widget keeps working', async () => {
  const p = await page(env.browser);
  const theme = { accent: 'url(javascript:alert(1))', font: 'x;} .launcher{display:none', zIndex: 'high', launcher: { icon: 'rocket' }, colour: 'red' };
  await hostPage(p, env.base, hostHtml({ head: `<script>Baton('init', {theme: ${JSON.stringify(theme)}});</script>${onReady}` }));
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal((await widgetColors(p, '.launcher'))['background-color'], 'rgb(79, 70, 229)', 'default accent kept');
  await launcher.click();
  await ready(p);
  await p.locator('.panel').waitFor({ state: 'visible' });
  const warnings = p.consoleLines.filter((l) => l.startsWith('warning: [Baton]')).join('\n');
  for (const key of ['theme.accent', 'theme.font', 'theme.zIndex', 'theme.launcher.icon', 'theme.colour']) assert.match(warnings, new RegExp(key.replace('.', '\\.')), key);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test("a host's own button opens Baton with the launcher hidden; focus returns to it", async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce' } });
  await hostPage(p, env.base, hostHtml({ head: `<script>Baton('init', {theme: {selector: '#help', launcher: {hidden: true}}});</script>` }));
  await p.waitForFunction(() => document.querySelector('baton-widget'));
  await p.waitForTimeout(200);
  assert.equal(await p.locator('.launcher').isVisible(), false, 'launcher hidden');
  await p.locator('#help').focus();
  await p.keyboard.press('Enter');
  await p.locator('.panel').waitFor({ state: 'visible' });
  const bottom = await p.locator('.panel').evaluate((el) => innerHeight - el.getBoundingClientRect().bottom);
  assert.equal(Math.round(bottom), 20, 'the panel sits where the launcher would have been');
  await p.keyboard.press('Escape');
  await p.locator('.panel').waitFor({ state: 'hidden' });
  assert.equal(await p.evaluate(() => document.activeElement.id), 'help', "focus back on the host's button");
  await p.context().close();
});
