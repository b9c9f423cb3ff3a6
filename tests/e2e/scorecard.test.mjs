// End-to-end: the continuity scorecard. The demo page in Chromium sends its KPI events to a real
// baton-relay process (sendBeacon as the page hides); the agents' /scorecard counts them. A visit
// that searches, reads, answers "helpful" and leaves is self-service resolved; a visit that
// escalates is an escalation with its completeness; the charts render with their labels (a
// screenshot is kept in target/e2e-scorecard.png); with consent required and withdrawn, no event
// leaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { start, page } from './browser.mjs';
import { startRelay } from './relay-process.mjs';

const TOKEN = 'e2e-agent-token-0123456789abcdefghij';
let env, relay;

before(async () => {
  env = await start();
  relay = await startRelay({ env: { BATON_AGENT_TOKEN: TOKEN, BATON_ALLOWED_ORIGINS: env.base } });
});
after(async () => {
  relay?.stop();
  await env?.close();
});

const init = (extra = '') => `
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  Baton('init', { relay: '${relay.url}'${extra} });
  Baton('on', 'handoff-delivered', () => { window.__delivered = true; });`;

const scorecard = async () => (await fetch(`${relay.url}/v1/scorecard`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();

/** Waits (polling the relay) until `done(card.overall)` holds; the last card. */
async function until(done) {
  let card;
  for (let i = 0; i < 100; i++) {
    card = await scorecard();
    if (done(card.overall)) return card;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.fail(`the scorecard never got there: ${JSON.stringify(card.overall)}`);
}

async function searchAndRead(p) {
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('reconnect bank feed');
  await p.locator('.result', { hasText: 'Reconnect your bank feed' }).first().click();
  await p.locator('.article-title', { hasText: 'Reconnect your bank feed' }).waitFor();
}

test('a visit that searches, reads, finds it helpful and leaves is self-service resolved on the scorecard', async () => {
  const p = await page(env.browser, { init: init() });
  await p.goto(env.base + '/');
  await searchAndRead(p);
  await p.locator('.chip', { hasText: 'Yes' }).click();
  await p.locator('.feedback [role=status]').waitFor();
  // Leaving the page (pagehide) sends the visit.
  await p.goto('about:blank');
  const card = await until((m) => m.resolvedSessions >= 1);
  const m = card.overall;
  assert.equal(m.helpSessions, 1);
  assert.equal(m.readSessions, 1);
  assert.equal(m.helpfulSessions, 1);
  assert.equal(m.selfServiceResolutionRate, 1);
  assert.equal(m.escalationRate, 0);
  assert.deepEqual(card.journeys.map((j) => j.journey), ['/']);
  await p.context().close();
});

test('a visit that escalates counts as an escalation, with its context completeness', async () => {
  const p = await page(env.browser, { init: init() });
  await p.goto(env.base + '/billing');
  await searchAndRead(p);
  await p.locator('.back').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('The bank feed still fails');
  await p.locator('.escalate input[type=email]').fill('pat@client.example');
  await p.locator('.send').click();
  await p.waitForFunction(() => window.__delivered);
  // Sent when the handoff goes, not only when the page hides.
  const card = await until((m) => m.escalatedSessions >= 1);
  const m = card.overall;
  assert.equal(m.helpSessions, 2);
  assert.equal(m.escalationRate, 0.5);
  assert.ok(m.contextCompleteness.mean > 0 && m.contextCompleteness.mean <= 1, JSON.stringify(m.contextCompleteness));
  assert.equal(m.contextCompleteness.histogram.reduce((a, b) => a + b, 0), 1, 'one handoff in the histogram');
  await p.context().close();
});

test('a solved conversation asks once how easy it was; the answer is the effort on the scorecard', async () => {
  const p = await page(env.browser, { init: init() });
  await p.goto(env.base + '/billing');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('Please close my account');
  await p.locator('.escalate input[type=email]').fill('sam@client.example');
  await p.locator('.send').click();
  await p.waitForFunction(() => window.__delivered);
  const reference = await p.locator('.reference').first().textContent();
  const api = await (await fetch(`${relay.url}/v1/handoffs/${reference}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  // The agent solves it; the customer opens the conversation.
  const solved = await fetch(`${relay.url}/inbox/${api.ticket}/status`, { method: 'POST', redirect: 'manual', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'status=solved' });
  assert.equal(solved.status, 303);
  await p.reload();
  await p.locator('.launcher').click();
  await p.locator('.conversations-entry').click();
  await p.locator('.conversation', { hasText: reference }).click();
  await p.locator('.effort-question', { hasText: 'How easy was it to get this resolved?' }).waitFor();
  assert.equal(await p.locator('.effort-score').count(), 7);
  await p.locator('.effort-score', { hasText: '6' }).click();
  await p.locator('.effort-thanks').waitFor();
  const card = await until((m) => m.effort.n >= 1);
  assert.equal(card.overall.effort.mean, 6);
  // Asked once: the thread again shows no question.
  await p.reload();
  await p.locator('.launcher').click();
  await p.locator('.conversations-entry').click();
  await p.locator('.conversation', { hasText: reference }).click();
  await p.locator('.thread h3').waitFor();
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(await p.locator('.effort-question').count(), 0);
  await p.context().close();
});

test('the scorecard page renders its charts with labels and values (screenshot kept)', async () => {
  const p = await page(env.browser);
  await p.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
  await p.goto(`${relay.url}/scorecard`);
  const text = await p.locator('body').textContent();
  for (const label of ['Self-service resolution', 'Escalation rate', 'Repeat contact rate', 'Help sessions', 'Read an article', 'Found it helpful', 'Resolved by self-service', 'Escalated to a person', '0.9–1.0', 'Not yet seen']) {
    assert.ok(text.includes(label), label);
  }
  assert.match(text, /Self-service resolution: \d+\.\d%/);
  assert.ok(await p.locator('svg.funnel rect').count() === 5 && await p.locator('svg.histogram text').count() === 20);
  const bars = await p.locator('svg.funnel rect').evaluateAll((r) => r.map((x) => Number(x.getAttribute('width'))));
  assert.ok(bars[0] > 0 && bars[0] >= bars[1], `help sessions is the longest bar: ${bars}`);
  assert.equal(await p.locator('script').count(), 0);
  mkdirSync('target', { recursive: true });
  await p.screenshot({ path: 'target/e2e-scorecard.png', fullPage: true });
  await p.context().close();
});

test('with consent required and withdrawn, no event leaves the page', async () => {
  const before = (await scorecard()).overall.helpSessions;
  const p = await page(env.browser, { init: init(", consent: 'required'") });
  const sent = [];
  p.on('request', (r) => { if (r.url().endsWith('/v1/events')) sent.push(r.url()); });
  await p.goto(env.base + '/');
  await searchAndRead(p);
  await p.locator('.chip', { hasText: 'Yes' }).click();
  await p.evaluate(() => Baton('consent', false));
  await p.goto('about:blank');
  await new Promise((ok) => setTimeout(ok, 500));
  assert.deepEqual(sent, [], 'nothing sent without consent');
  assert.equal((await scorecard()).overall.helpSessions, before);
  await p.context().close();
});

test('destroy sends the visit\'s events before it forgets them', async () => {
  const before = (await scorecard()).overall.readSessions;
  const p = await page(env.browser, { init: init() });
  await p.goto(env.base + '/');
  await searchAndRead(p);
  // The host tears the widget down (a logout, a route without help): the page stays, nothing hides.
  await p.evaluate(() => Baton('destroy'));
  const card = await until((m) => m.readSessions >= before + 1);
  assert.equal(card.overall.readSessions, before + 1, 'the visit counted once');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});
