// Screenshots of light, dark and a custom theme at desktop and phone sizes, compared with the
// reference images in tests/e2e/screenshots/ (pixelmatch, small tolerance for anti-aliasing).
// After an intended visual change: BATON_UPDATE_SCREENSHOTS=1 make test-e2e, then look at the
// new images before committing them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { start, page, hostPage, hostHtml } from './browser.mjs';

const DIR = new URL('./screenshots/', import.meta.url);
const UPDATE = process.env.BATON_UPDATE_SCREENSHOTS === '1';
// Share of pixels allowed to differ (font hinting, anti-aliasing), and per-pixel colour threshold.
const TOLERANCE = 0.01;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const THEMES = {
  light: {},
  dark: { mode: 'dark' },
  custom: { accent: '#be123c', radius: 4, font: 'Georgia, serif', position: 'bottom-left', launcher: { icon: 'help', label: 'Support' } },
};
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

async function compare(name, png) {
  const file = new URL(`${name}.png`, DIR);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) assert.fail(`no reference image ${name}.png: run BATON_UPDATE_SCREENSHOTS=1 make test-e2e and review it`);
    await mkdir(DIR, { recursive: true });
    await writeFile(file, png);
    return;
  }
  const [want, got] = [PNG.sync.read(await readFile(file)), PNG.sync.read(png)];
  assert.deepEqual([got.width, got.height], [want.width, want.height], `${name}: size`);
  const diff = new PNG({ width: want.width, height: want.height });
  const differing = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: 0.1 });
  const share = differing / (want.width * want.height);
  if (share > TOLERANCE) {
    await writeFile(`/tmp/baton-${name}.actual.png`, png);
    await writeFile(`/tmp/baton-${name}.diff.png`, PNG.sync.write(diff));
  }
  assert.ok(share <= TOLERANCE, `${name}: ${(share * 100).toFixed(2)}% of pixels differ (see /tmp/baton-${name}.diff.png)`);
}

for (const [themeName, theme] of Object.entries(THEMES)) {
  for (const [sizeName, viewport] of Object.entries(SIZES)) {
    test(`screenshot: ${themeName} theme, ${sizeName}`, async () => {
      const p = await page(env.browser, { context: { viewport, reducedMotion: 'reduce', locale: 'en-US', deviceScaleFactor: 1 } });
      await hostPage(p, env.base, hostHtml({ head: `<script>Baton('init', {title: 'Acme help', theme: ${JSON.stringify(theme)}});</script>` }));
      await p.locator('.launcher').waitFor({ state: 'visible' });
      await p.locator('.launcher').click();
      await p.locator('.panel').waitFor({ state: 'visible' });
      await p.locator('.search-input').fill('change my plan');
      await p.locator('.result').first().waitFor();
      await p.locator('.search-input').blur();
      await p.waitForTimeout(150);
      const png = await p.screenshot({ animations: 'disabled', caret: 'hide' });
      await compare(`${themeName}-${sizeName}`, png);
      await p.context().close();
    });
  }
}
