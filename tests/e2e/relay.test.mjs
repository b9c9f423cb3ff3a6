// End-to-end: the demo page escalates, the bundle goes through the outbox to a real baton-relay
// process (SQLite file), the agent inbox shows it and a search by reference finds it; hostile
// strings in the bundle execute nothing; a forged identity signature is marked unverified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { jwt as signToken } from './identity.mjs';
import { start, page } from './browser.mjs';
import { serve } from './serve.mjs';
import { startRelay, freePort } from './relay-process.mjs';

const TOKEN = 'e2e-agent-token-0123456789abcdefghij';
let env, relay, relayUrl, demo, demoBase;

before(async () => {
  env = await start();
  const port = await freePort();
  relayUrl = `http://127.0.0.1:${port}`;
  // What `make demo` runs: serve.mjs pointing the demo page at the relay (BATON_RELAY).
  demo = await serve(process.env.DIST || 'dist', 0, { endpoint: `${relayUrl}/v1/handoffs` });
  demoBase = `http://127.0.0.1:${demo.address().port}`;
  relay = await startRelay({ port, env: { BATON_AGENT_TOKEN: TOKEN, BATON_IDENTITY_SECRET: 'e2e-secret', BATON_ALLOWED_ORIGINS: `${env.base},${demoBase}` } });
});
after(async () => {
  relay?.stop();
  if (demo) await new Promise((ok) => demo.close(ok));
  await env?.close();
});

const agent = (path) => fetch(relayUrl + path, { headers: { authorization: `Bearer ${TOKEN}` } });

async function escalate(p, description, email) {
  await p.goto(env.base + '/billing');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill(description);
  if (email) await p.locator('.escalate input[type=email]').fill(email);
  await p.locator('.send').click();
  await p.locator('.sent h3', { hasText: 'Sent to the team' }).waitFor();
  await p.waitForFunction(() => window.__delivered);
  return p.locator('.reference').textContent();
}

const init = (signature) => `
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  Baton('init', { handoff: { endpoint: '${relayUrl}/v1/handoffs' } });
  Baton('identify', { id: 'u_77', email: 'mallory@acme.example', name: '<img src=x onerror="window.__pwned=1">Mallory', signature: '${signature}' });
  Baton('on', 'handoff-delivered', () => { window.__delivered = true; });`;

test('the demo page escalates to the relay; the inbox shows it, a search by reference finds it, hostile strings stay text', async () => {
  const p = await page(env.browser, { init: init('forged-signature') });
  const hostile = 'Charged twice <script>window.__pwned=2</script><img src=x onerror="window.__pwned=3">';
  const reference = await escalate(p, hostile);
  assert.match(reference, /^BTN-/);

  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.reference, reference);
  assert.equal(api.verified, false, 'a forged signature is stored, unverified');
  assert.equal(api.bundle.description, hostile);
  assert.equal(api.category, 'billing');

  // The agent reads it in a browser (the same bearer credential), found by reference.
  const inbox = await page(env.browser, { captureConsole: true });
  await inbox.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
  await inbox.goto(`${relayUrl}/inbox?q=${reference}`);
  await inbox.locator(`a[href="/inbox/${api.ticket}"]`).click();
  await inbox.locator('.words').waitFor();
  assert.equal(await inbox.locator('.words').textContent(), hostile, 'shown as the text the user typed');
  assert.match(await inbox.locator('h1').textContent(), new RegExp(`${reference} · <img src=x onerror="window.__pwned=1">Mallory`));
  assert.match(await inbox.locator('body').textContent(), /unverified identity/);
  assert.equal(await inbox.evaluate(() => window.__pwned), undefined, 'nothing from the bundle ran');
  assert.equal(await inbox.locator('img, script').count(), 0);
  await inbox.goto(`${relayUrl}/r/${reference}`);
  assert.match(await inbox.locator('body').textContent(), /Steps to reproduce/);
  await inbox.context().close();

  // An invited agent sets a password, signs in, sets the status and adds a note, signs out; the
  // audit names her.
  const desk = await page(env.browser);
  await desk.goto(relayUrl + relay.invite('kim@support.example'));
  await desk.locator('input[name=password]').fill('a long passphrase for Kim');
  await desk.locator('input[name=confirm]').fill('a long passphrase for Kim');
  await desk.locator('button', { hasText: 'Set password' }).click();
  await desk.locator('[role=status]', { hasText: 'Your password is set' }).waitFor();
  await desk.goto(`${relayUrl}/r/${reference}`);
  await desk.locator('input[name=email]').fill('kim@support.example');
  await desk.locator('input[name=password]').fill('a long passphrase for Kim');
  await desk.locator('button', { hasText: 'Sign in' }).click();
  await desk.locator('.words').waitFor();
  assert.equal(new URL(desk.url()).pathname, `/r/${reference}`, 'back where the agent was going');
  const cookie = (await desk.context().cookies()).find((c) => c.name === '__Host-baton_session');
  assert.ok(cookie && cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict', JSON.stringify(cookie));
  await desk.locator('select[name=status]').selectOption('pending');
  await desk.locator('button', { hasText: 'Save' }).click();
  await desk.locator('form[action$="/notes"] textarea').fill('Refund issued <script>window.__pwned=4</script>');
  await desk.locator('button', { hasText: 'Add note' }).click();
  await desk.locator('li', { hasText: 'Refund issued' }).waitFor();
  assert.equal(await desk.evaluate(() => window.__pwned), undefined);
  assert.equal((await (await agent(`/v1/handoffs/${reference}`)).json()).status, 'pending');
  const audit = await desk.locator('ol.audit').textContent();
  assert.match(audit, /kim@support\.example · status: open → pending/);
  assert.match(audit, /kim@support\.example · note: added an internal note/);
  await desk.locator('a.me', { hasText: 'kim@support.example' }).click();
  await desk.locator('button', { hasText: 'Sign out' }).first().click();
  await desk.locator('input[name=email]').waitFor();
  await desk.goto(`${relayUrl}/r/${reference}`);
  assert.equal(new URL(desk.url()).pathname, '/login', 'signed out: the inbox asks to sign in again');
  await desk.context().close();
  await p.context().close();
});

test('a page on another origin cannot file a handoff, even with a form-like request', async () => {
  // A page the relay does not know (its own origin, not in BATON_ALLOWED_ORIGINS).
  const evil = await serve(process.env.DIST || 'dist', 0, {});
  const evilBase = `http://127.0.0.1:${evil.address().port}`;
  const p = await page(env.browser);
  await p.goto(evilBase + '/');
  const answers = await p.evaluate(async (url) => {
    const bundle = JSON.stringify({ version: 1, reference: 'BTN-EVIL-PAGE-1', description: 'forged' });
    const simple = await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: bundle }).then((r) => r.type, (e) => String(e));
    const json = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'evil-1' }, body: bundle }).then((r) => r.status, (e) => 'blocked: ' + e.name);
    return { simple, json };
  }, `${relayUrl}/v1/handoffs`);
  assert.equal(answers.simple, 'opaque', 'the browser sent it; the relay must refuse it');
  assert.match(String(answers.json), /blocked/, 'a JSON post needs the relay\'s permission, which this origin lacks');
  assert.equal((await agent('/v1/handoffs/BTN-EVIL-PAGE-1')).status, 404, 'nothing was filed');
  await p.context().close();
  await new Promise((ok) => evil.close(ok));
});

test('a correctly signed identity is verified', async () => {
  const signature = execFileSync('node', ['-e', "process.stdout.write(require('crypto').createHmac('sha256', 'e2e-secret').update('u_77').digest('hex'))"]).toString();
  const p = await page(env.browser, { init: init(signature) });
  const reference = await escalate(p, 'Signed in properly');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.verified, true);
  await p.context().close();
});

const jwt = (claims, secret = 'e2e-secret') => signToken(claims, secret);

const withToken = (token, extra = '') => `
  window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
  Baton('init', { handoff: { endpoint: '${relayUrl}/v1/handoffs' } });
  Baton('identify', { token: '${token}'${extra} });
  Baton('on', 'handoff-delivered', () => { window.__delivered = true; });`;

test('an identity token verifies its claims only; the page\'s other words are shown as claimed; no token is stored', async () => {
  const p = await page(env.browser, { init: withToken(jwt({ sub: 'u_88', email: 'jane@acme.example' }), ", name: 'Jane CEO', account: 'VictimCo'") });
  const reference = await escalate(p, 'Signed with a token');
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.verified, true);
  assert.equal(api.verifiedBy, 'token');
  assert.equal(api.bundle.identity.token, undefined, 'the token is neither stored nor returned');
  assert.deepEqual([api.bundle.identity.verified.sub, api.bundle.identity.verified.email, api.bundle.identity.verified.account], ['u_88', 'jane@acme.example', undefined]);
  const html = await (await agent(`/inbox/${api.ticket}`)).text();
  assert.ok(html.includes('claimed by the page, not verified: name Jane CEO, account VictimCo'), html);
  assert.ok(!html.includes('Others at VictimCo'));
  await p.context().close();
});

test('an expired or forged token leaves the widget anonymous, with a clear console message', async () => {
  const now = Math.floor(Date.now() / 1000);
  const expired = jwt({ sub: 'u_89', email: 'old@acme.example', iat: now - 7200, exp: now - 3600 });
  const p = await page(env.browser, { init: withToken(expired) });
  const warnings = [];
  p.on('console', (m) => warnings.push(m.text()));
  const reference = await escalate(p, 'Expired token', 'someone@client.example');
  assert.ok(warnings.some((w) => w.includes('identity token has expired') && w.includes('anonymous')), warnings.join('\n'));
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.verified, false);
  assert.equal(api.bundle.identity?.id, undefined, 'anonymous: no identity from an expired token');
  await p.context().close();

  const forged = await page(env.browser, { init: withToken(jwt({ sub: 'u_90' }, 'not-the-secret')) });
  const ref2 = await escalate(forged, 'Forged token');
  const api2 = await (await agent(`/v1/handoffs/${ref2}`)).json();
  assert.equal(api2.verified, false);
  assert.match(api2.bundle.identity.unverified, /does not match/);
  assert.equal(api2.bundle.identity.token, undefined);
  await forged.context().close();
});

test("make demo's wiring: the demo server points the page's loader at the relay, and a handoff lands there with no other set-up", async () => {
  const html = await (await fetch(demoBase + '/')).text();
  assert.ok(html.includes(`<script async src="/loader.js" data-endpoint="${relayUrl}/v1/handoffs"`), 'the loader tag names the relay');
  const p = await page(env.browser, { init: `window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    Baton('on', 'handoff-delivered', () => { window.__delivered = true; });` });
  await p.goto(demoBase + '/billing');
  await p.locator('.launcher').click();
  await p.locator('.person').click();
  await p.locator('.escalate textarea').fill('From the demo as make demo serves it');
  await p.locator('.escalate input[type=email]').fill('demo@client.example');
  await p.locator('.send').click();
  await p.waitForFunction(() => window.__delivered);
  const reference = await p.locator('.reference').textContent();
  const api = await (await agent(`/v1/handoffs/${reference}`)).json();
  assert.equal(api.bundle.description, 'From the demo as make demo serves it');
  await p.context().close();
});
