// The lazily loaded parts (src/lazy.rs; README, "How it is built"), a step of the Trunk post-build
// (postbuild.mjs). When the widget was compiled with its split points (`--cfg baton_split` and
// `-Clink-args=--emit-relocs`, Makefile WIDGET_BUILD_ENV), Trunk's own output still holds every
// part in one wasm. This step splits cargo's wasm with wasm_split_cli (crates.io
// wasm_split_cli_support, installed by .ci/setup), runs wasm-bindgen and wasm-opt on each module
// with the options Trunk uses (index.html), and replaces baton.js and baton_bg.wasm in the dist
// dir with the first module, beside split_*.wasm (and chunk_*.wasm, code two parts share) and
// __wasm_split.js, which fetches them. A build without split points is left as Trunk made it.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The custom section Leptos's wasm_split writes into a wasm that has split points. */
const SPLIT_SECTION = '__wasm_split_unstable';
/** The loader of parts that wasm_split_cli writes; baton.js imports it. */
const LINK = '__wasm_split.js';

function run(tool, args) {
  try {
    execFileSync(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new Error(`split: ${tool} failed (${e.code === 'ENOENT' ? 'not installed: run .ci/setup' : e.message})`);
  }
}

/** The loader of parts as Baton serves it: it imports the glue by Baton's file name, and a part
 * served without `Content-Type: application/wasm` (a common host misconfiguration) still loads,
 * as the first module does. A failed fetch rejects; the widget says so and can try again. */
function patchLink(js) {
  const edits = [
    ['from "./main.js"', 'from "./baton.js"'],
    [
      'return await WebAssembly.instantiateStreaming(src, imports);',
      `const response = await src;
            if (!response.ok) throw new Error(\`\${srcUrl}: HTTP \${response.status}\`);
            if ((response.headers.get('Content-Type') || '').startsWith('application/wasm')) {
                return await WebAssembly.instantiateStreaming(response, imports);
            }
            return await WebAssembly.instantiate(await response.arrayBuffer(), imports);`,
    ],
    // Baton's own console lines carry its prefix (src/log.rs), so that capture and hosts can
    // tell them from the page's errors.
    ['console.error(e);', "console.warn('[Baton] a part of the widget could not be loaded:', e);"],
  ];
  for (const [from, to] of edits) {
    if (!js.includes(from)) throw new Error(`split: ${LINK} from wasm_split_cli no longer contains ${JSON.stringify(from)}; update widget/split.mjs`);
    js = js.replace(from, to);
  }
  return js;
}

/** Splits the widget in `dir` (Trunk's staging dir) if its wasm has split points; returns the
 * files written (empty when there was nothing to split). */
export async function splitParts(dir, { profile = process.env.TRUNK_PROFILE || 'release' } = {}) {
  const targetDir = process.env.CARGO_TARGET_DIR || 'target';
  const raw = join(targetDir, 'wasm32-unknown-unknown', profile, 'baton.wasm');
  const bytes = await readFile(raw);
  if (!bytes.includes(Buffer.from(SPLIT_SECTION))) return [];

  const html = await readFile(new URL('../index.html', import.meta.url), 'utf8');
  const level = html.match(/data-wasm-opt="(\w+)"/)?.[1];
  const params = html.match(/data-wasm-opt-params="([^"]*)"/)?.[1].split(/\s+/).filter(Boolean);
  if (!level || !params) throw new Error('split: index.html lost its data-wasm-opt / data-wasm-opt-params');

  const work = await mkdtemp(join(tmpdir(), 'baton-split-'));
  try {
    run('wasm_split_cli', [raw, work]);
    run('wasm-bindgen', ['--keep-lld-exports', '--target', 'web', '--no-typescript', '--out-dir', join(work, 'glue'), '--out-name', 'baton', join(work, 'main.wasm')]);
    const parts = (await readdir(work)).filter((f) => f.endsWith('.wasm') && f != 'main.wasm').sort();
    if (!parts.length) throw new Error('split: wasm_split_cli found split points but wrote no part');
    const optimise = (from, to) => run('wasm-opt', [`-O${level}`, ...params, from, '-o', to]);
    optimise(join(work, 'glue', 'baton_bg.wasm'), join(dir, 'baton_bg.wasm'));
    for (const part of parts) optimise(join(work, part), join(dir, part));
    await copyFile(join(work, 'glue', 'baton.js'), join(dir, 'baton.js'));
    await writeFile(join(dir, LINK), patchLink(await readFile(join(work, LINK), 'utf8')));
    return ['baton.js', 'baton_bg.wasm', LINK, ...parts];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
