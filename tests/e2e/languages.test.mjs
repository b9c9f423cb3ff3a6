// Languages: config locale, the browser's languages, string overrides, right-to-left layout —
// before the widget code loads (the launcher) and after (every text).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page, hostPage, hostHtml, fetchedWidget } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test('locale from config beats the browser; overrides replace single texts; switching is live', async () => {
  const p = await page(env.browser, { context: { locale: 'ar-EG', reducedMotion: 'reduce' } });
  await hostPage(p, env.base, hostHtml({ head: `<script>Baton('init', {locale: 'fr-CA', strings: {person: 'Écrire à Sam'}});</script>` }));
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal(await launcher.textContent(), 'Aide', 'French before any widget code');
  assert.deepEqual(fetchedWidget(p), []);
  await launcher.click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal(await p.locator('.title').textContent(), 'Aide');
  assert.equal(await p.locator('.search-input').getAttribute('placeholder'), "Rechercher dans l'aide");
  assert.equal(await p.locator('.close').getAttribute('aria-label'), "Fermer l'aide");
  assert.equal(await p.locator('.footer .person').textContent(), 'Écrire à Sam', 'override');
  assert.equal(await p.locator('.panel').getAttribute('lang'), 'fr');
  assert.equal(await p.locator('.panel').getAttribute('dir'), 'ltr');

  await p.evaluate(() => Baton('init', { locale: 'en', strings: { person: 'Chat with Sam' } }));
  await p.locator('.footer .person', { hasText: 'Chat with Sam' }).waitFor();
  assert.equal(await p.locator('.title').textContent(), 'Help');
  assert.equal(await launcher.textContent(), 'Help');
  assert.equal(await p.locator('.panel').isVisible(), true, 'the panel stayed open');
  await p.context().close();
});

test("right to left: Arabic from the browser's languages mirrors the layout", async () => {
  const p = await page(env.browser, { context: { locale: 'ar-EG', reducedMotion: 'reduce' } });
  await p.goto(env.base + '/');
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal(await launcher.textContent(), 'مساعدة');
  assert.equal(await p.locator('baton-widget').getAttribute('dir'), 'rtl', 'before the widget code');
  // In RTL the icon sits to the right of the text.
  const [icon, text] = await launcher.evaluate((b) => [b.querySelector('svg').getBoundingClientRect().x, b.querySelector('span').getBoundingClientRect().x]);
  assert.ok(icon > text, 'icon after the text, reading right to left');
  await launcher.click();
  const panel = p.locator('.panel');
  await panel.waitFor({ state: 'visible' });
  assert.equal(await panel.getAttribute('dir'), 'rtl');
  assert.equal(await p.locator('.footer .person').textContent(), 'تحدّث إلى شخص');
  // Header mirrored: the title's text starts at the right, the close button is on the left.
  const title = await p.locator('.title').boundingBox();
  const close = await p.locator('.close').boundingBox();
  assert.ok(close.x < title.x, 'close button left of the title');
  assert.equal(await p.locator('.search-input').evaluate((el) => getComputedStyle(el).direction), 'rtl');
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().click();
  const back = await p.locator('.back').boundingBox();
  assert.ok(back.x > title.x, 'back button on the right');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});
