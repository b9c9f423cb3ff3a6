// End-to-end: self-service answers in the widget, on the demo app with its demo KB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function openPanel(p, path = '/', init) {
  if (init) await p.addInitScript(init);
  await p.goto(env.base + path);
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
}

// Focus moves in the frame after a screen renders: wait for it (briefly), then report where it is.
async function shadowFocus(p, expected) {
  const where = () => p.evaluate(() => document.querySelector('baton-widget').shadowRoot.activeElement?.className);
  if (expected) await p.waitForFunction((cls) => document.querySelector('baton-widget').shadowRoot.activeElement?.className === cls, expected, { timeout: 2000 }).catch(() => {});
  return where();
}

test('on open, suggestions come from the page: a visible error and the route', async () => {
  const p = await page(env.browser);
  await openPanel(p, '/billing');
  const first = p.locator('.suggestion').first();
  await first.waitFor();
  assert.match(await first.locator('.why').textContent(), /^Looks like you hit “Your last payment was declined/);
  assert.equal(await first.locator('.result-title').textContent(), 'Update the card you pay Ledgerly with');
  const titles = await p.locator('.suggestion .result-title').allTextContents();
  assert.ok(titles.includes('Change or cancel your plan'), titles.join(' | '));
  await p.context().close();
});

test('an error captured before opening leads the suggestions', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('#sync-bank').click();
  await p.locator('.launcher').click();
  const first = p.locator('.suggestion').first();
  await first.waitFor();
  assert.match(await first.locator('.why').textContent(), /Bank feed sync failed/);
  assert.equal(await first.locator('.result-title').textContent(), 'Reconnect your bank feed');
  await p.context().close();
});

test('typing searches instantly, typos included; arrows and Enter open; feedback is recorded and emitted', async () => {
  const p = await page(env.browser);
  await openPanel(p, '/', () => {
    window.__events = [];
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('on', 'article-viewed', (e) => __events.push(['viewed', e.id]));
    Baton('on', 'answer-feedback', (e) => __events.push(['feedback', e.id, e.helpful]));
  });
  // The index improves once the panel shows (the meaning table and its part arrive): typed
  // after that, the arrows below move over a list that no longer reorders under them.
  await p.waitForFunction(() => ['/demo-kb.meaning.json', '/split_meaning.wasm'].every((f) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(f) && e.responseEnd > 0)));
  await p.waitForTimeout(100); // the index with meaning swaps in after parsing
  await p.locator('.search-input').pressSequentially('reconect my bnak', { delay: 20 });
  // Results for a prefix typed a moment earlier may show first (80 ms debounce): wait for the
  // full query's answer, then check it is the top result.
  await p.locator('.result .result-title', { hasText: 'Reconnect your bank feed' }).first().waitFor();
  // The search for the whole query has run (the journey records it), whatever the machine's
  // speed: the arrows below move over its list, not a prefix's.
  await p.waitForFunction(() => new Promise((ok) => Baton('snapshot', (s) => ok(s?.journey.searches.at(-1)?.query === 'reconect my bnak'))));
  assert.equal(await p.locator('.result .result-title').first().textContent(), 'Reconnect your bank feed');
  assert.equal(await p.locator('.no-answer').isVisible(), false, 'a confident answer');
  await p.keyboard.press('ArrowDown');
  assert.equal(await p.locator('.result').nth(1).getAttribute('aria-selected'), 'true');
  await p.keyboard.press('ArrowUp');
  await p.keyboard.press('Enter');
  await p.locator('.article-title', { hasText: 'Reconnect your bank feed' }).waitFor();
  assert.equal(await shadowFocus(p, 'article-title'), 'article-title', 'focus moves to the article');
  assert.match(await p.locator('.article-body').innerHTML(), /<strong>Settings → Bank feeds<\/strong>/);
  await p.locator('.chip', { hasText: 'No' }).click();
  await p.locator('.feedback [role=status]').waitFor();

  // Back keeps the query and its results; focus returns to the search box.
  await p.locator('.back').click();
  await p.locator('.result').first().waitFor();
  assert.equal(await p.locator('.search-input').inputValue(), 'reconect my bnak');
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.activeElement?.className === 'search-input');

  assert.deepEqual(await p.evaluate(() => __events), [['viewed', 'bank-feed-token'], ['feedback', 'bank-feed-token', false]]);
  const s = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.equal(s.journey.searches.at(-1).query, 'reconect my bnak');
  assert.equal(s.journey.searches.at(-1).answered, true);
  // What the screen showed is in the journey (and so in the bundle): the sure answer first.
  assert.equal(s.journey.searches.at(-1).outcome, 'sure');
  assert.deepEqual(s.journey.searches.at(-1).offered[0], { id: 'bank-feed-token', title: 'Reconnect your bank feed' });
  assert.deepEqual(s.journey.articles.map((a) => [a.id, a.helpful]), [['bank-feed-token', false]]);
  await p.context().close();
});

test('says honestly when no article fits', async () => {
  const p = await page(env.browser);
  await openPanel(p);
  await p.locator('.search-input').fill('what will the weather be in paris tomorrow');
  await p.locator('.no-answer').waitFor({ state: 'visible' });
  const s = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.equal(s.journey.searches.at(-1).answered, false);
  const last = s.journey.searches.at(-1);
  assert.equal(last.outcome, last.offered.length ? 'maybe' : 'person', JSON.stringify(last));
  assert.equal(last.results, last.offered.length);
  await p.context().close();
});

test('a partly invalid KB loads the rest and names each bad article; a missing KB leaves the widget working', async () => {
  const p = await page(env.browser);
  await p.route('**/demo-kb.json', (r) =>
    r.fulfill({
      contentType: 'application/json',
      body: JSON.stringify([
        { id: 'ok', title: 'Export invoices', body: 'Use **Export**. <script>alert(1)</script> [bad](javascript:alert(1)) [docs](https://example.com)', phrasings: ['download invoices'] },
        { id: 'no-title' },
        { id: 'ok', title: 'Duplicate' },
        'not an article',
      ]),
    }),
  );
  await openPanel(p);
  await p.locator('.search-input').fill('export');
  await p.locator('.result').first().click();
  await p.locator('.article-title', { hasText: 'Export invoices' }).waitFor();
  const html = await p.locator('.article-body').innerHTML();
  assert.ok(!html.includes('<script'), html);
  assert.ok(html.includes('&lt;script&gt;'), 'raw HTML shows as text');
  assert.ok(html.includes('href="#">bad</a>'), 'javascript: links are neutralised');
  assert.ok(html.includes('target="_blank" rel="noopener noreferrer" href="https://example.com"'), html);
  const warning = p.consoleLines.find((l) => l.includes('knowledge base'));
  assert.ok(warning, p.consoleLines.join('\n'));
  for (const part of ['3 article(s) skipped, 1 loaded', 'article #1 ("no-title")', 'article #2 ("ok"): duplicate id', 'article #3: must be an object']) {
    assert.ok(warning.includes(part), `${part} in ${warning}`);
  }
  await p.context().close();

  const q = await page(env.browser);
  let missing = true;
  await q.route('**/demo-kb.json', (r) => (missing ? r.fulfill({ status: 404, body: 'nope' }) : r.continue()));
  await openPanel(q);
  await q.locator('.status', { hasText: 'could not be loaded' }).waitFor();
  assert.ok(q.consoleLines.some((l) => l.includes('knowledge base /demo-kb.json could not be loaded (HTTP 404)')));
  const s = await q.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.equal(s.failedRequests.length, 0, "Baton's own KB request is not a host failure");
  // Still missing: "Try again" says so again; once the KB is back, opening the panel loads it.
  await q.locator('.status .retry').click();
  await q.locator('.status .retry').waitFor();
  await q.locator('.close').click();
  await q.locator('.panel').waitFor({ state: 'hidden' });
  missing = false;
  await q.locator('.launcher').click();
  await q.locator('.search-input').fill('reconnect bank feed');
  await q.locator('.result', { hasText: 'Reconnect your bank feed' }).waitFor();
  assert.equal(await q.locator('.status').count(), 0, 'no failure left on screen');
  await q.context().close();
});

/** Opens the panel, finds the article with a guided flow and starts the flow. */
async function startAmountFlow(p) {
  await openPanel(p);
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result').first().click();
  await p.locator('.article-title', { hasText: 'Amounts must be plain numbers' }).waitFor();
  await p.locator('.show-me').click();
}

test('a guided step from a previous answer goes when the answer changes: back to search, a new question, no highlight left', async () => {
  const p = await page(env.browser);
  await startAmountFlow(p);
  await p.locator('.highlight').waitFor();
  // Back to the answers, and another question: the old step's outline is not left over the page.
  await p.locator('.back').click();
  await p.locator('.search-input').waitFor();
  assert.equal(await p.locator('.highlight').count(), 0, 'the highlight went with its answer');
  await p.locator('.search-input').fill('reconnect bank feed');
  await p.locator('.result', { hasText: 'Reconnect your bank feed' }).waitFor();
  await p.locator('.result').first().click();
  await p.locator('.article-title', { hasText: 'Reconnect your bank feed' }).waitFor();
  assert.equal(await p.locator('.highlight').count(), 0, 'no step of the previous answer on the new one');
  assert.equal(await p.locator('.flow-progress').count(), 0);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('a guided flow highlights host elements, verifies each step live, and records how far it got', async () => {
  const p = await page(env.browser);
  await startAmountFlow(p);
  await p.locator('.flow-progress', { hasText: 'Step 1 of 3' }).waitFor();

  // The highlight sits over the host's link, drawn from Baton's shadow root.
  await p.locator('.highlight').waitFor();
  const [box, link] = await Promise.all([p.locator('.highlight').boundingBox(), p.locator('nav a[href="/invoices/new"]').boundingBox()]);
  assert.ok(Math.abs(box.x + 6 - link.x) < 2 && Math.abs(box.y + 6 - link.y) < 2, JSON.stringify({ box, link }));
  // The host stays clickable through it; the route check moves the flow on by itself.
  await p.locator('nav a[href="/invoices/new"]').click();
  await p.locator('.flow-progress', { hasText: 'Step 2 of 3' }).waitFor();
  await p.locator('.flow .chip', { hasText: 'Next' }).click();
  await p.locator('.flow-progress', { hasText: 'Step 3 of 3' }).waitFor();
  await p.locator('#amount').fill('120.50');
  await p.locator('#invoice-form button[type=submit]').click();
  await p.locator('.flow-done').waitFor();
  assert.equal(await p.locator('.highlight').count(), 0, 'the highlight is gone when done');
  let s = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.deepEqual(s.journey.flows.map((f) => [f.id, f.step, f.steps, f.outcome]), [['invoice-amount-format', 3, 3, 'completed']]);

  // "That didn't work" on another flow: recorded with the step reached.
  await p.locator('.back').click();
  await p.locator('.search-input').fill('card declined');
  await p.locator('.result .result-title', { hasText: 'Update the card' }).click();
  await p.locator('.show-me').click();
  await p.locator('.flow .chip', { hasText: "That didn't work" }).click();
  await p.locator('.flow-failed').waitFor();
  s = await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)));
  assert.deepEqual(s.journey.flows.at(-1), { ...s.journey.flows.at(-1), id: 'update-card', step: 1, outcome: 'failed' });
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('a KB given inline in init is searchable, and replaces the data-kb one', async () => {
  const p = await page(env.browser);
  await openPanel(p, '/', () => {
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('init', { kb: [{ id: 'inline-1', title: 'Inline article about teleporting invoices', body: 'Beam them.' }] });
  });
  await p.locator('.search-input').fill('teleport');
  await p.locator('.result .result-title', { hasText: 'Inline article about teleporting invoices' }).waitFor();
  await p.context().close();
});

test('the meaning table is fetched after the panel shows and finds what shares no word with the question; a broken one leaves word search working', async () => {
  const q = 'I cannot remember my credentials';
  const topTitle = (p) => p.evaluate(() => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent);
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.locator('.launcher').hover();
  await p.waitForTimeout(300);
  assert.equal(p.requests.filter((u) => u.endsWith('/demo-kb.meaning.json')).length, 0, 'nothing before the panel');
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/demo-kb.meaning.json') && e.responseEnd > 0));
  const order = p.requests.filter((u) => /demo-kb(\.meaning)?\.json$/.test(u)).map((u) => u.split('/').pop());
  assert.deepEqual(order, ['demo-kb.json', 'demo-kb.meaning.json'], 'the table after the KB, once');
  await p.waitForTimeout(100); // the index with meaning swaps in after parsing
  await p.locator('.search-input').fill(q);
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent === 'Reset your password', null, { timeout: 3000 });
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();

  const broken = await page(env.browser);
  await broken.route('**/demo-kb.meaning.json', (r) => r.fulfill({ contentType: 'application/json', body: '{"format": "baton-meaning", "version": 1, "dims": 4, "words": ["a"], "weights": [1], "vectors": "!!"}' }));
  await broken.goto(env.base + '/');
  await broken.locator('.launcher').click();
  await broken.locator('.panel').waitFor({ state: 'visible' });
  await broken.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/demo-kb.meaning.json')));
  await broken.waitForTimeout(200);
  assert.ok(broken.consoleLines.some((l) => /meaning table \/demo-kb\.meaning\.json could not be used \(.*base64.*\); search matches words only/.test(l)), broken.consoleLines.join('\n'));
  await broken.locator('.search-input').fill('forgot password');
  await broken.locator('.result .result-title', { hasText: 'Reset your password' }).first().waitFor();
  await broken.locator('.search-input').fill(q);
  await broken.waitForTimeout(400);
  assert.notEqual(await topTitle(broken), 'Reset your password', 'words alone do not find it: the first page proved meaning');
  assert.deepEqual(broken.pageErrors, []);
  await broken.context().close();
});

test('a link to another article opens it in the panel, without leaving the page', async () => {
  const p = await page(env.browser);
  await openPanel(p, '/billing');
  await p.locator('.suggestion').first().click();
  await p.locator('.article-title').waitFor();
  assert.equal(await p.locator('.article-title').textContent(), 'Update the card you pay Ledgerly with');
  const link = p.locator('.article-body a[data-article="billing-receipts"]');
  assert.equal(await link.textContent(), 'Download receipts');
  assert.equal(await link.getAttribute('target'), null, 'not a new tab');
  const url = p.url();
  await link.click();
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.article-title')?.textContent.startsWith('Download'));
  assert.equal(p.url(), url, 'the host page did not navigate');
  assert.equal(await p.locator('.article-title').textContent(), 'Download Ledgerly receipts');
  await p.context().close();
});
