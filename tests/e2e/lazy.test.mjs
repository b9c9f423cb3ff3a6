// End-to-end: the lazily loaded parts (src/platform/lazy.rs, widget/split.mjs). The first open fetches
// only what the first screen needs; the article view, the form to reach a person and guided flows come in parts
// fetched right after the panel shows, the search engine and capture alongside the KB, and a part that
// cannot be fetched is said so, not fatal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { start, page } from './browser.mjs';
import { sizes } from '../../widget/size-report.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const parts = (p) => p.requests.filter((u) => /\/(split|chunk)_\w+\.wasm$/.test(u)).map((u) => u.split('/').pop()).sort();

test('the release build has the search engine, the article view, the handoff and the guided flows as lazy parts, outside first open', async () => {
  const files = await readdir(env.dist);
  assert.ok(['split_search.wasm', 'split_article.wasm', 'split_handoff.wasm', 'split_flows.wasm'].every((f) => files.includes(f)), files.join(' '));
  const sized = await sizes(env.dist);
  assert.ok(sized.rows.some((r) => r.name == '__wasm_split.js'), 'the loader of parts is counted in first open (baton.js imports it)');
  assert.ok(sized.parts.length >= 2 && sized.lazy.gzip > 10 * 1024, JSON.stringify(sized.parts));
  assert.ok(!sized.rows.some((r) => /^(split|chunk)_/.test(r.name)), 'no part is counted in first open');
  // The bundle builder and the outbox are in the handoff part, not in the first module.
  const { readFile } = await import('node:fs/promises');
  const first = (await readFile(`${env.dist}/baton_bg.wasm`)).toString('latin1');
  const handoff = (await readFile(`${env.dist}/split_handoff.wasm`)).toString('latin1');
  for (const s of ['Idempotency-Key', 'Steps to reproduce:', '; not retried']) {
    assert.ok(!first.includes(s) && handoff.includes(s), `${s} is only in the handoff part`);
  }
  // The Markdown renderer is in the article part (its HTML tags are code there, not strings in
  // the first module's data, which every part shares).
  const article = (await readFile(`${env.dist}/split_article.wasm`));
  assert.ok(article.length > 4096, `the article part holds the article view (${article.length} bytes)`);
  // Capture's processing is the capture part's (and the chunk it shares with the handoff
  // part, which builds bundles from the same Context): none of it is in the first module.
  const capture = (await readFile(`${env.dist}/split_capture.wasm`)).toString('latin1');
  assert.ok(!first.includes('Clicked ') && capture.includes('Clicked '), 'breadcrumbs are written in the capture part');
  assert.ok(!first.includes('[email]'), 'the redactor is not in the first module');
  // The strings only the form and the flows show, in every language, come with those parts.
  for (const s of ['Send by email', 'Envoyer par e-mail', 'Step {n} of {total}']) assert.ok(!first.includes(s), `${s} is not in the first module`);
  // The KB reader is in the search part: its messages for a bad article are not in the first module.
  const search = (await readFile(`${env.dist}/split_search.wasm`)).toString('latin1');
  assert.ok(search.length > 16384, `the search part holds the engine (${search.length} bytes)`);
  for (const s of ['duplicate id']) assert.ok(!first.includes(s) && search.includes(s), `${s} is only in the search part`);
});

test('no part is fetched before the panel opens; all are fetched right after (the KB\'s table and learning with them), and the form then needs no network', async () => {
  const p = await page(env.browser);
  await p.goto(env.base + '/');
  await p.waitForTimeout(500);
  assert.deepEqual(parts(p), [], 'nothing before interaction');
  await p.locator('.launcher').click();
  await p.locator('.search-input').waitFor();
  await p.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => /split_\w+\.wasm$/.test(e.name)).length >= 6);
  assert.deepEqual(parts(p).filter((f) => f.startsWith('split_')), ['split_article.wasm', 'split_capture.wasm', 'split_flows.wasm', 'split_handoff.wasm', 'split_meaning.wasm', 'split_search.wasm']);
  // Offline from here: the preloaded form still opens, and what the user writes is kept.
  await p.waitForTimeout(200);
  await p.context().setOffline(true);
  await p.locator('.footer .person').click();
  await p.locator('.escalate textarea').waitFor({ timeout: 5000 });
  await p.locator('.escalate textarea').fill('the export button does nothing');
  assert.equal(await p.locator('.part-failed').count(), 0);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('a part that cannot be fetched: the user is told, the draft is kept, and "Try again" loads it', async () => {
  const p = await page(env.browser);
  let block = true;
  await p.route(/split_handoff\.wasm$/, (route) => (block ? route.abort('internetdisconnected') : route.continue()));
  // A host that serves .wasm without its MIME type: the part still loads once reachable.
  await p.route(/split_flows\.wasm$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('teleport my invoices to mars');
  await p.locator('.no-answer .link').click();
  await p.locator('.part-failed[role=alert]').waitFor();
  assert.match(await p.locator('.part-failed').textContent(), /could not be loaded/);
  assert.ok(p.consoleLines.some((l) => l.startsWith('warning: [Baton] a part of the widget could not be loaded')), p.consoleLines.join('\n'));
  assert.deepEqual(p.pageErrors, [], 'a failed part is not an uncaught error');

  block = false;
  await p.locator('.part-failed button', { hasText: 'Try again' }).click();
  await p.locator('.escalate textarea').waitFor();
  assert.equal(await p.locator('.escalate textarea').inputValue(), 'teleport my invoices to mars', 'the draft survived the failed load');

  // The flows part, served as application/octet-stream, runs a guided flow all the same.
  await p.locator('.back').click();
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result', { hasText: 'Amounts must be plain numbers' }).click();
  await p.locator('.show-me').click();
  await p.locator('.flow').waitFor();
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('the search part fetched alongside the KB: the panel shows before it, answers once both are in; a part that cannot be fetched is said so and the rest works', async () => {
  const p = await page(env.browser);
  let release;
  const held = new Promise((r) => { release = r; });
  await p.route(/split_search\.wasm$/, async (route) => { await held; await route.continue(); });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').waitFor();
  assert.match(await p.locator('.status').textContent(), /Loading help articles/, 'the panel shows while the engine loads');
  await p.locator('.search-input').fill('amount must be a number');
  release();
  await p.locator('.result', { hasText: 'Amounts must be plain numbers' }).waitFor();
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();

  const q = await page(env.browser);
  let blocked = true;
  await q.route(/split_search\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await q.goto(env.base + '/');
  await q.locator('.launcher').click();
  await q.locator('.status', { hasText: 'Help articles could not be loaded' }).waitFor();
  assert.ok(q.consoleLines.some((l) => /the widget's part that searches could not be loaded/.test(l)), q.consoleLines.join('\n'));
  await q.locator('.footer .person').click();
  await q.locator('.escalate textarea').waitFor();
  assert.deepEqual(q.pageErrors, [], 'a failed part is not an uncaught error');
  // Reachable again: "Try again" fetches the part, and search works.
  blocked = false;
  await q.locator('.back').click();
  await q.locator('.status .retry', { hasText: 'Try again' }).click();
  await q.locator('.search-input').fill('amount must be a number');
  await q.locator('.result', { hasText: 'Amounts must be plain numbers' }).waitFor();
  assert.deepEqual(q.pageErrors, []);
  await q.context().close();
});

test('the meaning table arriving while an article is read changes nothing on screen: the feedback given and the focus stay', async () => {
  const p = await page(env.browser);
  let release;
  const held = new Promise((r) => { release = r; });
  await p.route(/\.meaning\.json$/, async (route) => { await held; await route.continue(); });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('reconnect bank feed');
  await p.locator('.result').first().click();
  await p.locator('.chip', { hasText: 'Yes' }).click();
  await p.locator('.feedback [role=status]', { hasText: 'Glad it helped' }).waitFor();
  release();
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\.meaning\.json$/.test(e.name) && e.responseEnd > 0));
  await p.waitForTimeout(500);
  assert.equal(await p.locator('.feedback [role=status]', { hasText: 'Glad it helped' }).count(), 1, 'the answer to "Did this help?" is kept');
  assert.equal(await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent), 'Glad it helped.', 'focus stays in the panel');
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('offline when the panel first shows: the parts are fetched when the browser is back online, then work offline', async () => {
  const p = await page(env.browser, { init: () => { window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); }; Baton('on', 'ready', () => { window.__ready = true; }); } });
  await p.goto(env.base + '/');
  await p.evaluate(() => Baton('snapshot'));
  await p.waitForFunction(() => window.__ready === true);
  await p.context().setOffline(true);
  await p.locator('.launcher').click();
  await p.locator('.search-input').waitFor();
  await p.waitForTimeout(500);
  const loaded = () => p.evaluate(() => performance.getEntriesByType('resource').filter((e) => /split_handoff\.wasm$/.test(e.name) && e.responseStatus == 200).length);
  assert.equal(await loaded(), 0, 'nothing could be fetched offline');
  await p.context().setOffline(false);
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /split_handoff\.wasm$/.test(e.name) && e.responseStatus == 200));
  await p.waitForTimeout(300);
  // Offline again: the part fetched on `online` opens the form without the network.
  await p.context().setOffline(true);
  await p.locator('.footer .person').click();
  await p.locator('.escalate textarea').waitFor({ timeout: 5000 });
  assert.equal(await p.locator('.part-failed').count(), 0);
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test('capture is a part of its own: the panel opens without it; what happens meanwhile is held (folded, bounded) and recorded in order once it loads; `ready` waits for it', async () => {
  const p = await page(env.browser, {
    init: () => {
      window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
      Baton('on', 'ready', () => { window.__ready = true; });
    },
  });
  let release;
  const held = new Promise((r) => { release = r; });
  await p.route(/split_capture\.wasm$/, async (route) => { await held; await route.continue(); });
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').waitFor();
  assert.equal(await p.evaluate(() => window.__ready), undefined, '`ready` waits for the capture part');
  const before = await p.evaluate(() => {
    Baton('identify', { id: 'u_held', email: 'held@acme.example' });
    Baton('context', { plan: 'held-plan' });
    history.pushState({}, '', '/while-capture-loads');
    for (let i = 0; i < 500; i++) { console.warn('deprecated API used'); console.error('chatty log line ' + i); }
    setTimeout(() => { throw new TypeError('the error while capture loaded'); });
    window.__snap = null;
    Baton('snapshot', (s) => { window.__snap = s; });
    return Baton('snapshot');
  });
  assert.equal(before, null, 'no snapshot to return before the part is there (the callback gets it)');
  await p.waitForTimeout(200);
  release();
  await p.waitForFunction(() => window.__ready === true && window.__snap);
  const s = await p.evaluate(() => Baton('snapshot'));
  assert.ok(s && s.routes, 'after `ready`, snapshot answers at once');
  const kinds = (k) => s.errors.filter((e) => e.kind === k);
  assert.equal(kinds('consoleWarn')[0].count, 500, 'repeats folded while held');
  assert.equal(kinds('consoleError')[0].count, 99, 'console lines have their room while held, as in the loader');
  assert.equal(s.dropped.early.console, 401, 'what did not fit is counted');
  assert.equal(kinds('uncaught')[0]?.message, 'TypeError: the error while capture loaded', 'console noise never pushes out an error');
  assert.deepEqual(s.routes.map((r) => r.url), ['/', '/while-capture-loads']);
  assert.equal(s.identity.id, 'u_held');
  assert.equal(s.custom.plan, 'held-plan');
  const early = await p.evaluate(() => window.__snap);
  assert.equal(early.identity.id, 'u_held', 'the held snapshot came after the held identify');
  assert.equal(p.pageErrors.length, 1);
  assert.match(p.pageErrors[0], /the error while capture loaded/);
  await p.context().close();
});

test('a capture part that cannot be fetched: the panel and search work, it is said once, and it loads when the panel opens again', async () => {
  const p = await page(env.browser);
  let blocked = true;
  await p.route(/split_capture\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await p.goto(env.base + '/');
  await p.locator('.launcher').click();
  await p.locator('.search-input').fill('amount must be a number');
  await p.locator('.result', { hasText: 'Amounts must be plain numbers' }).waitFor();
  for (let i = 0; i < 50 && !p.consoleLines.some((l) => /part that records page events/.test(l)); i++) await p.waitForTimeout(100);
  assert.equal(p.consoleLines.filter((l) => /part that records page events could not be loaded/.test(l)).length, 1, p.consoleLines.join('\n'));
  await p.evaluate(() => console.error('seen while capture was away'));
  blocked = false;
  await p.keyboard.press('Escape');
  await p.locator('.launcher').click();
  await p.waitForFunction(() => { const s = Baton('snapshot'); return s && s.errors.some((e) => e.message === 'seen while capture was away'); });
  assert.deepEqual(p.pageErrors, []);
  await p.context().close();
});

test("the glue's imports and the exports only the glue calls have short names in the wasm and the glue alike; the part loaders' and the API's keep theirs", async () => {
  const { readFile } = await import('node:fs/promises');
  const { shortenNames, renameInGlue } = await import('../../widget/wasm-names.mjs');
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(await readFile(`${env.dist}/baton_bg.wasm`)));
  const glue = await readFile(`${env.dist}/baton.js`, 'utf8');
  const own = imports.filter((i) => i.module == './baton_bg.js');
  assert.ok(own.length > 100 && own.every((i) => /^\$[0-9a-z]+$/.test(i.name)), own.slice(0, 5).map((i) => i.name).join(' '));
  for (const i of own) assert.ok(new RegExp(`[{,]\\${i.name}:`).test(glue), `${i.name} is a key of the glue's import object`);
  assert.ok(imports.some((i) => i.module == './__wasm_split.js' && i.name == '__wasm_split_load_capture'));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(await readFile(`${env.dist}/baton_bg.wasm`))).map((e) => e.name);
  for (const name of ['boot', 'command', 'capture', 'memory', '__indirect_function_table']) assert.ok(exports.includes(name), `${name} is exported by its name`);
  assert.ok(!exports.some((e) => /^(wasm_bindgen_|__wbindgen_)/.test(e)), exports.join(' '));

  // A module with every import kind: names of other modules, types and limits stay as they were.
  const wat = Uint8Array.from([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0, // type section: () -> ()
    2, 0x3e, 4, // import section: 4 imports
    1, 0x67, 4, ...Buffer.from('__f1'), 0, 0, // g.__f1: func 0
    1, 0x67, 4, ...Buffer.from('tabl'), 1, 0x70, 1, 1, 5, // g.tabl: table funcref 1..5
    1, 0x6f, 4, ...Buffer.from('memo'), 2, 0, 1, // o.memo: memory 1
    1, 0x67, 4, ...Buffer.from('glob'), 3, 0x7f, 0, // g.glob: global i32
  ]);
  wat[15] = wat.length - 16; // the import section's size
  const { wasm, renamed } = shortenNames(wat, 'g');
  assert.deepEqual(WebAssembly.Module.imports(new WebAssembly.Module(wasm)), [
    { module: 'g', name: '$0', kind: 'function' },
    { module: 'g', name: '$1', kind: 'table' },
    { module: 'o', name: 'memo', kind: 'memory' },
    { module: 'g', name: '$2', kind: 'global' },
  ]);
  assert.equal(renameInGlue('x={__f1:a,tabl:b,glob:c,__f1x:d}', renamed), 'x={$0:a,$1:b,$2:c,__f1x:d}');
  assert.throws(() => renameInGlue('x={}', renamed), /__f1 is not in the glue/);
});
