// Size report for what a host's users download: raw, gzip and brotli of each widget file in
// dist/, the bytes before any interaction (loader, launcher, CSS), the total of a first open
// (those plus glue JS and wasm), and the lazily loaded parts fetched after it. `make size` runs
// it; the benchmark imports `sizes`.
import { readdir, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// In the order a browser fetches them: loader, launcher and CSS at page load, the rest on first
// open (baton.js imports __wasm_split.js, the loader of the lazily loaded parts).
const FIRST = ['loader.js', 'launcher.js', 'baton.css', 'baton.js', '__wasm_split.js', 'baton_bg.wasm'];
/** The lazily loaded parts (src/platform/lazy.rs): fetched after the panel has shown, or on first use. */
const LAZY = /^(split|chunk)_\w+\.wasm$/;

/** The widget's files in `dir`: `{first, lazy}` — what page load and first open fetch, in that
 * order (__wasm_split.js only in a build with lazy parts), and the lazily loaded parts. */
export async function widgetFiles(dir) {
  const present = new Set(await readdir(dir));
  return {
    first: FIRST.filter((f) => f != '__wasm_split.js' || present.has(f)),
    lazy: [...present].filter((f) => LAZY.test(f)).sort(),
  };
}
/** The byte budgets (docs/benchmark.md, "Benchmark"). First open: issue #14's goal, 150 KB gzip (it
 * reached 147.9), so that the next regression fails the bench. */
export const BUDGETS = { loaderGzip: 2048, firstOpenGzip: 150 * 1024 };

/** Raw, gzip (level 9) and brotli (quality 11) sizes of `bytes`. */
export function compressed(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (rs) => rs.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });

/** README's inline snippet (widget/snippet.html: queue stub and early-error buffer, without
 * the example `init` call), minified with terser as a host's build would: `{raw, gzip, brotli}`. */
export async function snippetSize() {
  const { minify } = await import('terser');
  const html = await readFile(new URL('./snippet.html', import.meta.url), 'utf8');
  const source = html.match(/<script>([\s\S]*?)Baton\('init'/)[1];
  const { code } = await minify(source, { compress: { passes: 2 }, mangle: true, format: { comments: false } });
  return { code, ...compressed(Buffer.from(code)) };
}

/** The files a lazily loaded part is fetched as (`split_<part>.wasm` and the chunks it shares
 * with other parts), read from the part loader `__wasm_split.js`; `[]` when there is no such part. */
export async function partFiles(dir, part) {
  let loader;
  try {
    loader = await readFile(join(dir, '__wasm_split.js'), 'utf8');
  } catch {
    return [];
  }
  // `x=s(new URL("./chunk_6.wasm",import.meta.url),[])` … `__wasm_split_load_search=e(s(new URL("./split_search.wasm",import.meta.url),[x,y]))`
  const chunks = new Map([...loader.matchAll(/([\w$]+)=\w+\(new URL\("\.\/(chunk_\d+\.wasm)"/g)].map((m) => [m[1], m[2]]));
  const entry = loader.match(new RegExp(`__wasm_split_load_${part}=[\\w$]+\\([\\w$]+\\(new URL\\("\\./(split_${part}\\.wasm)"[^\\[]*\\[([^\\]]*)\\]`));
  if (!entry) return [];
  return [entry[1], ...entry[2].split(',').filter(Boolean).map((v) => chunks.get(v.trim())).filter(Boolean)];
}

/** The parts fetched as soon as the widget boots, which a first result needs: the engine that
 * searches the KB, and capture, whose page context ranks the results (src/capture/part.rs). */
export const FIRST_ANSWER_PARTS = ['search', 'capture'];

/** Sizes of the widget's files in `dir`: `{rows, parts, before, firstOpen, firstAnswer, lazy,
 * total}` (rows in fetch order; parts: the lazily loaded ones; firstAnswer: first open with the
 * `FIRST_ANSWER_PARTS` and the chunks they share, each file once). */
export async function sizes(dir) {
  const { first, lazy } = await widgetFiles(dir);
  const rows = [];
  for (const name of first) rows.push({ name, ...compressed(await readFile(join(dir, name))) });
  const parts = [];
  for (const name of lazy) parts.push({ name, ...compressed(await readFile(join(dir, name))) });
  const needed = new Set((await Promise.all(FIRST_ANSWER_PARTS.map((part) => partFiles(dir, part)))).flat());
  const firstAnswer = sum([...rows, ...parts.filter((p) => needed.has(p.name))]);
  return { rows, parts, before: sum(rows.slice(0, 3)), firstOpen: sum(rows), firstAnswer, lazy: sum(parts), total: sum([...rows, ...parts]) };
}

// `core[1a2b]::fmt::write` → core; `<alloc::string::String as core::fmt::Display>::fmt` → alloc
// (the type's crate); `<T as tachys::view::Render>::build` → tachys (the trait's, for generics);
// `<str>::to_lowercase` → core.
function crateOf(name) {
  const path = /^([a-zA-Z_][a-zA-Z0-9_]*)(?:\[[0-9a-f]+\])?::/;
  const bare = name.replace(/^(?:<|&(?:mut )?|\()+/, '');
  return bare.match(path)?.[1] ?? name.match(/ as &?(?:mut )?([a-zA-Z_][a-zA-Z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] ?? (/^<(?:str|f64|f32|char|u8|\[)/.test(name) ? 'core' : '(other)');
}

/** Where the wasm's bytes come from, by crate: twiggy's per-function sizes in the release wasm
 * cargo built (before wasm-bindgen and wasm-opt; it still has the names), summed by the crate
 * each item's name starts with. `[{crate, bytes, share}]`, largest first, or `null` without twiggy. */
export function byCrate(wasm = 'target/wasm32-unknown-unknown/release/baton.wasm') {
  let csv;
  try {
    csv = execFileSync('twiggy', ['top', '-n', '1000000', '--format', 'csv', wasm], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const totals = new Map();
  for (const line of csv.split('\n').slice(1)) {
    const m = line.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/);
    if (!m) continue;
    const name = (m[1] ?? m[2]).replace(/""/g, '"');
    // Not shipped: custom sections (names, wasm-bindgen's metadata), which wasm-opt strips, and
    // wasm-bindgen's describe functions (and the types' `WasmDescribe::describe`, ~40 KB of
    // js-sys's), which wasm-bindgen runs at build time and removes.
    if (name.includes('subsection') || name.startsWith('custom section') || name.includes('__wbindgen_describe') || /WasmDescribe(?:Vector)?>::describe/.test(name)) continue;
    const crate = name.startsWith('data segment') ? '(data: strings, tables)' : name.startsWith('import ') ? '(imports)' : crateOf(name);
    totals.set(crate, (totals.get(crate) ?? 0) + Number(m[3]));
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals].map(([crate, bytes]) => ({ crate, bytes, share: bytes / all })).sort((a, b) => b.bytes - a.bytes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || 'dist';
  const { rows, parts, before, firstOpen, firstAnswer, lazy, total } = await sizes(dir);
  const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
  console.log(`Baton size report (${dir}/)`);
  console.log('| file               |        raw |       gzip |     brotli |');
  console.log('|--------------------|-----------:|-----------:|-----------:|');
  const lazyRows = parts.length ? [...parts, { name: 'lazy parts (after the panel shows)', ...lazy }, { name: 'first answer (first open + the search and capture parts)', ...firstAnswer }, { name: 'all widget files', ...total }] : [];
  for (const r of [...rows, { name: 'before interaction', ...before }, { name: 'first open', ...firstOpen }, ...lazyRows]) {
    console.log(`| ${r.name.padEnd(18)} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  }
  const snippet = await snippetSize();
  console.log(`inline snippet (queue + early errors), minified: ${snippet.raw} B raw, ${snippet.gzip} B gzip`);
  const loader = rows[0];
  const verdict = (ok) => (ok ? 'within budget' : 'OVER BUDGET');
  console.log(`loader.js gzip ${loader.gzip} B of ${BUDGETS.loaderGzip} B: ${verdict(loader.gzip <= BUDGETS.loaderGzip)}`);
  console.log(`first open gzip ${(firstOpen.gzip / 1024).toFixed(1)} KB of ${BUDGETS.firstOpenGzip / 1024} KB: ${verdict(firstOpen.gzip <= BUDGETS.firstOpenGzip)}`);
  // The first module is what first open pays for: cargo's wasm split as the build splits it
  // (wasm_split_cli keeps the names twiggy reads), else the whole wasm.
  const whole = process.argv[3] || 'target/wasm32-unknown-unknown/release/baton.wasm';
  const work = mkdtempSync(join(tmpdir(), 'baton-size-'));
  let wasm = whole, what = "cargo's release wasm, all parts";
  try {
    execFileSync('wasm_split_cli', [whole, work], { stdio: 'ignore' });
    if (existsSync(join(work, 'main.wasm'))) [wasm, what] = [join(work, 'main.wasm'), 'the first module of the split release wasm'];
  } catch {
    // No split points, or no wasm_split_cli: the whole wasm.
  }
  const crates = byCrate(wasm);
  rmSync(work, { recursive: true, force: true });
  if (!crates) {
    console.log('wasm by crate: twiggy not found (`cargo install twiggy --version 0.8.0 --locked`, or `make setup`)');
  } else {
    const total = crates.reduce((a, c) => a + c.bytes, 0);
    console.log(`\nwasm by crate (twiggy on ${what}, before wasm-bindgen and wasm-opt: ${(total / 1024).toFixed(0)} KB of code and data; the shipped file is smaller):`);
    console.log('| crate                          |       size | share |');
    console.log('|--------------------------------|-----------:|------:|');
    const top = crates.slice(0, 16);
    const rest = crates.slice(16).reduce((a, c) => a + c.bytes, 0);
    for (const c of [...top, { crate: `${crates.length - top.length} others`, bytes: rest, share: rest / total }]) {
      console.log(`| ${c.crate.padEnd(30)} | ${kb(c.bytes)} | ${(100 * c.share).toFixed(1).padStart(4)}% |`);
    }
  }
}
