// End-to-end: the npm package as users install it. `npm pack` packs packages/baton-widget, an
// app folder installs the tarball, esbuild builds a React app (React Router) and a Vue app (Vue
// Router) from tests/npm against it, `next build` a Next.js app, and Chromium runs them: the widget loads from the app's own
// copy of the files (`baton-widget copy`), `useBaton().open()` opens it, route changes made by
// the routers are in the context, and a component's listeners go when it unmounts. Also: the
// package imports and renders on a server (Node) without throwing, `tsc --strict` compiles a
// typed sample and rejects wrong calls, and the generated types match the schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './browser.mjs';
import { serve } from './serve.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
// Inside the repository, so that the app resolves react, vue and the routers from the root's
// node_modules (installed by `npm ci`), and only baton-widget from its own.
const WORK = join(ROOT, 'target', 'npm-test');
const APP = join(WORK, 'app');
let packed, browser, servers = {};

before(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(APP, { recursive: true });
  const out = execFileSync('npm', ['pack', join(ROOT, 'packages', 'baton-widget'), '--pack-destination', WORK, '--json', '--loglevel=error'], { encoding: 'utf8' });
  packed = JSON.parse(out)[0];
  await writeFile(join(APP, 'package.json'), JSON.stringify({ name: 'npm-test-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', join(WORK, packed.filename), '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: APP, stdio: 'inherit' });
  await cp(join(ROOT, 'tests', 'npm'), APP, { recursive: true });
  for (const [name, entry] of [['react', 'react-app.jsx'], ['vue', 'vue-app.js'], ['plain', 'plain-app.js']]) {
    const www = join(APP, `www-${name}`);
    await build({
      entryPoints: [join(APP, entry)], bundle: true, format: 'esm', minify: true, outfile: join(www, 'app.js'), logLevel: 'error',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    });
    await writeFile(join(www, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name} app</title></head><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`);
    await cp(join(ROOT, 'dist', 'demo-kb.json'), join(www, 'demo-kb.json'));
    // The package's own copy of the widget files, served by the app (docs/embedding.md, "Embed").
    execFileSync(join(APP, 'node_modules', '.bin', 'baton-widget'), ['copy', join(www, 'baton')], { cwd: APP, stdio: 'ignore' });
    const server = await serve(www);
    servers[name] = { server, base: `http://127.0.0.1:${server.address().port}` };
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  for (const { server } of Object.values(servers)) await new Promise((ok) => server.close(ok));
});

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function runApp(name, { base = servers[name]?.base, counter = true } = {}) {
  const p = await browser.newPage();
  const problems = [];
  p.on('pageerror', (e) => problems.push(String(e)));
  p.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
  p.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
  await p.goto(base + '/');
  const launcher = p.locator('baton-widget .launcher');
  await launcher.waitFor({ state: 'visible' });
  assert.equal(await p.locator('#ready').textContent(), 'false', 'the widget code waits for intent');
  // The router navigates (history.pushState); the loader records it.
  await p.locator('#to-billing').click();
  await p.waitForURL('**/billing');
  await p.locator('#open').click();
  await p.locator('baton-widget .panel').waitFor({ state: 'visible' });
  await p.waitForFunction(() => document.querySelector('#ready').textContent === 'true');
  if (counter) assert.equal(await p.evaluate(() => window.__opens), 1, 'the mounted component heard `open` once');
  const context = await p.evaluate(() => new Promise((r) => window.Baton('snapshot', r)));
  const visits = context.routes.map((v) => [v.path, v.via]);
  assert.deepEqual(visits.slice(-2), [['/', 'load'], ['/billing', 'push']], JSON.stringify(visits));
  // Unmounting the component removes its listener: a later open is not counted.
  if (counter) await unmountCounter(p);
  assert.deepEqual(problems, [], `${name}: no page error, no console error, no failed request`);
  const requested = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((u) => u.startsWith('/baton/')));
  assert.ok(['/baton/loader.js', '/baton/baton_bg.wasm'].every((f) => requested.includes(f)), requested.join(' '));
  await p.close();
}

async function unmountCounter(p) {
  await p.evaluate(() => window.Baton('close'));
  await p.locator('#toggle-counter').click();
  await p.waitForFunction(() => !document.querySelector('#counter'));
  await p.evaluate(() => window.Baton('open'));
  await p.locator('baton-widget .panel').waitFor({ state: 'visible' });
  assert.equal(await p.evaluate(() => window.__opens), 1, 'no listener left behind');
}

test('a React app (React Router) built from the packed package: loads, opens with useBaton(), captures routes, cleans up on unmount', async () => {
  await runApp('react');
  // A changed `config` prop is merged into Baton's config (the panel's title follows it).
  const p = await browser.newPage();
  await p.goto(servers.react.base + '/');
  await p.locator('#open').click();
  const title = p.locator('baton-widget .panel .title');
  await title.waitFor();
  assert.equal(await title.textContent(), 'Ledgerly help');
  await p.locator('#rename').click();
  await p.waitForFunction(() => document.querySelector('baton-widget').shadowRoot.querySelector('.panel .title')?.textContent === 'Renamed help');
  await p.close();
});

test('a Vue app (Vue Router) with the plugin: loads, opens with useBaton(), captures routes, cleans up on unmount', async () => {
  await runApp('vue');
});

test('without a framework: calls before load() are queued; the default base is the pinned CDN folder, whose loader SRI checks', async () => {
  const files = join(APP, 'node_modules', 'baton-widget', 'files');
  const cdn = `https://cdn.jsdelivr.net/npm/baton-widget@${packed.version}/files/`;
  const TYPES = { js: 'text/javascript', wasm: 'application/wasm', css: 'text/css', json: 'application/json' };
  const page = async (tamper) => {
    const p = await browser.newPage();
    const errors = [];
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    p.on('pageerror', (e) => errors.push(String(e)));
    // The CDN, answered from the package's files (no network here), with the CORS header SRI needs.
    await p.route(cdn + '**', async (r) => {
      const name = new URL(r.request().url()).pathname.split('/').pop();
      let body = await readFile(join(files, name));
      if (tamper && name === 'loader.js') body = Buffer.concat([body, Buffer.from('\n;window.__tampered = 1;')]);
      await r.fulfill({ body, contentType: TYPES[name.split('.').pop()], headers: { 'access-control-allow-origin': '*' } });
    });
    await p.goto(servers.plain.base + '/');
    return { p, errors };
  };
  const { p, errors } = await page(false);
  assert.equal(await p.evaluate(() => window.__loaded), true);
  const tag = await p.evaluate(() => { const s = document.querySelector('script[data-baton-npm]'); return { src: s.src, integrity: s.integrity, crossOrigin: s.crossOrigin }; });
  assert.equal(tag.src, cdn + 'loader.js');
  assert.equal(tag.integrity, JSON.parse(await readFile(join(files, 'integrity.json'), 'utf8'))['loader.js']);
  assert.equal(tag.crossOrigin, 'anonymous');
  await p.locator('baton-widget .panel').waitFor({ state: 'visible' });
  assert.deepEqual(await p.evaluate(() => window.__events), ['open'], 'the queued open ran once, heard by the queued listener');
  const context = await p.evaluate(() => new Promise((r) => window.Baton('snapshot', r)));
  assert.equal(context.identity.id, 'u-2');
  assert.deepEqual(errors, []);
  await p.close();
  // A loader that is not the published one is refused by the browser; the app goes on.
  const bad = await page(true);
  assert.equal(await bad.p.evaluate(() => window.__loaded), false);
  assert.equal(await bad.p.evaluate(() => window.__tampered), undefined);
  assert.ok(bad.errors.some((e) => e.includes('[Baton] could not load ' + cdn + 'loader.js')), bad.errors.join('\n'));
  await bad.p.close();
});

test('a Next.js app (App Router, next build + next start): prerenders with the provider, loads, opens, captures next/link navigation', async () => {
  const next = join(WORK, 'next-app');
  await cp(join(ROOT, 'tests', 'npm', 'next-app'), next, { recursive: true });
  await writeFile(join(next, 'package.json'), JSON.stringify({ name: 'next-test-app', private: true }));
  execFileSync('npm', ['install', join(WORK, packed.filename), '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: next, stdio: 'ignore' });
  execFileSync(join(next, 'node_modules', '.bin', 'baton-widget'), ['copy', join(next, 'public', 'baton')], { stdio: 'ignore' });
  await cp(join(ROOT, 'dist', 'demo-kb.json'), join(next, 'public', 'demo-kb.json'));
  const bin = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  execFileSync(process.execPath, [bin, 'build'], { cwd: next, env, stdio: 'ignore' });
  const port = await freePort();
  const server = spawn(process.execPath, [bin, 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: next, env, stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(base + '/')).ok) break; } catch {}
      if (i > 100) throw new Error('next start did not answer');
      await new Promise((r) => setTimeout(r, 200));
    }
    // Server-rendered with the provider (prerendered at build time): `ready` is false in the HTML.
    assert.match(await (await fetch(base + '/billing')).text(), /<output id="ready">false<\/output>/);
    await runApp('next', { base, counter: false });
  } finally {
    server.kill();
  }
});

test('on a server, the package imports and renders (React and Vue) without throwing; calls are no-ops', () => {
  const r = spawnSync(process.execPath, ['ssr.mjs'], { cwd: APP, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ssr ok/);
});

test('tsc --strict compiles a typed app against the package, and rejects wrong keys, values, payloads and events', () => {
  const tsc = (file, resolution = ['--module', 'ESNext', '--moduleResolution', 'Bundler']) => spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--strict', '--noEmit', '--target', 'ES2022', ...resolution, '--jsx', 'react-jsx', '--lib', 'ES2022,DOM', file], { cwd: APP, encoding: 'utf8' });
  const ok = tsc('typed.tsx');
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  // Node's own resolution too (the package is ESM: its declarations import with extensions).
  const node = tsc('typed.tsx', ['--module', 'NodeNext', '--moduleResolution', 'NodeNext']);
  assert.equal(node.status, 0, node.stdout + node.stderr);
  const bad = tsc('untyped.ts');
  assert.notEqual(bad.status, 0);
  const errors = bad.stdout.split('\n').filter((l) => l.includes('error TS'));
  assert.equal(errors.length, 4, bad.stdout);
  for (const word of ["'titel'", '"top"', "'toFixed'", '"opened"']) assert.ok(bad.stdout.includes(word), `${word} in ${bad.stdout}`);
});

test('the generated types match widget/*.schema.json; the package sizes are reported', async () => {
  const check = spawnSync(process.execPath, [join(ROOT, 'packages', 'baton-widget', 'scripts', 'build.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const names = packed.files.map((f) => f.path);
  for (const f of ['src/index.js', 'src/react.js', 'src/vue.js', 'src/meta.js', 'types/index.d.ts', 'types/schema.d.ts', 'types/config.d.ts', 'files/loader.js', 'files/baton_bg.wasm', 'files/__wasm_split.js', 'files/split_article.wasm', 'files/split_handoff.wasm', 'files/split_flows.wasm', 'files/split_meaning.wasm', 'files/split_search.wasm', 'files/integrity.json', 'bin/baton-widget.mjs']) assert.ok(names.includes(f), `${f} packed`);
  const entries = [];
  for (const entry of ['index', 'react', 'vue']) {
    const r = await build({ entryPoints: [join(APP, 'node_modules', 'baton-widget', 'src', `${entry}.js`)], bundle: true, minify: true, format: 'esm', write: false, external: ['react', 'vue'], logLevel: 'error' });
    const code = r.outputFiles[0].contents;
    entries.push(`${entry} ${code.length} B min / ${gzipSync(code).length} B gzip`);
  }
  console.log(`# baton-widget: packed ${(packed.size / 1024).toFixed(1)} KB, unpacked ${(packed.unpackedSize / 1024).toFixed(1)} KB, ${packed.files.length} files; entries (min, own code with what they import, React/Vue external): ${entries.join('; ')}`);
});
