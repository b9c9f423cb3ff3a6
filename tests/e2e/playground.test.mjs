// The theme playground (served by the demo command at /playground.html): controls change the
// live widget and the config a developer copies.
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

test('the playground restyles the widget live and produces the config to copy', async () => {
  const p = await page(env.browser, { context: { reducedMotion: 'reduce', permissions: ['clipboard-read', 'clipboard-write'] } });
  await p.goto(env.base + '/playground.html');
  const launcher = p.locator('.launcher');
  await launcher.waitFor({ state: 'visible' });
  await p.locator('#accent-text').fill('#be123c');
  await p.locator('#accent-text').press('Enter');
  await p.locator('#accent-text').blur();
  await p.waitForFunction(() => {
    const b = document.querySelector('baton-widget').shadowRoot.querySelector('.launcher');
    return getComputedStyle(b).backgroundColor === 'rgb(190, 18, 60)';
  });
  await p.locator('#position').selectOption('bottom-left');
  await p.locator('#label').fill('Support');
  await p.locator('#locale').selectOption('fr');
  await p.locator('#radius').fill('4');
  await p.waitForFunction(() => document.querySelector('baton-widget').dataset.position === 'bottom-left');
  assert.equal(await launcher.textContent(), 'Support');
  const out = await p.locator('#out').textContent();
  const config = JSON.parse(out.match(/Baton\('init', ([\s\S]*?)\);/)[1]);
  assert.deepEqual(config, { theme: { accent: '#be123c', mode: 'light', position: 'bottom-left', radius: 4, launcher: { label: 'Support' } }, locale: 'fr' });

  await p.locator('#open').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  assert.equal(await p.locator('.title').textContent(), 'Aide');
  assert.equal(await p.locator('.panel').evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '4px');
  // Back to the default radius: the key leaves the config and the widget follows.
  await p.locator('#radius').fill('14');
  await p.waitForTimeout(50);
  assert.equal(await p.locator('.panel').evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '14px');
  assert.ok(!(await p.locator('#out').textContent()).includes('radius'));

  await p.locator('#copy').click();
  await p.locator('#copied', { hasText: 'Copied.' }).waitFor();
  assert.match(await p.evaluate(() => navigator.clipboard.readText()), /"accent": "#be123c"/);
  const header = await widgetColors(p, '.header');
  assert.equal(header['background-color'], 'rgb(190, 18, 60)');
  assert.equal(header.color, 'rgb(255, 255, 255)');
  assert.deepEqual(p.pageErrors, []);
  assert.deepEqual(p.consoleLines.filter((l) => l.startsWith('error') || l.startsWith('warning')), []);
  await p.context().close();
});
