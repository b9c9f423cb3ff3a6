// The widget's wasm, finished: a step of the Trunk post-build (postbuild.mjs). Trunk compiles
// the crate and runs wasm-bindgen; this step optimises with wasm-opt (Trunk's own is off in
// index.html, so that it is run once, here) and, when the widget was compiled with its split
// points (`--cfg baton_split` and `-Clink-args=--emit-relocs`, Makefile WIDGET_BUILD_ENV),
// first splits it into the lazily loaded parts (src/platform/lazy.rs; docs/building.md, "How it is built"):
// wasm_split_cli (crates.io wasm_split_cli_support, installed by .ci/setup) on cargo's wasm,
// wasm-bindgen on the first module, and wasm-opt on every module. baton.js and baton_bg.wasm in
// the dist dir are replaced by the first module's, beside split_*.wasm (and chunk_*.wasm, code two
// parts share) and __wasm_split.js, which fetches them.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renameInGlue, shortenNames } from './wasm-names.mjs';

/** The import module of a split point's loader in cargo's wasm (wasm_split_macros). */
const SPLIT_IMPORT = '__wasm_split';
/** The loader of parts that wasm_split_cli writes; baton.js imports it. */
const LINK = '__wasm_split.js';

/** The first module's exports that only wasm-bindgen's glue calls: closure trampolines, the
 * allocator, the externref table's and the exception store's helpers, the start function. */
const GLUE_ONLY_EXPORTS = /^(wasm_bindgen_[0-9a-f]+___convert__closures|__wbindgen_|__externref_table_)/;

function run(tool, args) {
  const result = spawnSync(tool, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  // wasm-opt 132 does not know the name subsection wasm_split_cli writes for the parts, warns,
  // and drops it with the rest of the names: not worth a line of the build's output.
  const stderr = (result.stderr || '').split('\n').filter((l) => l && !/^warning: unknown name subsection/.test(l)).join('\n');
  if (result.error) throw new Error(`split: ${tool} could not run (${result.error.code === 'ENOENT' ? 'not installed: run .ci/setup' : result.error.message})`);
  if (result.status !== 0) throw new Error(`split: ${tool} failed (exit ${result.status})\n${stderr}`);
  if (stderr) console.error(stderr);
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
    // Baton's own console lines carry its prefix (src/platform/log.rs), so that capture and hosts can
    // tell them from the page's errors.
    ['console.error(e);', "console.warn('[Baton] a part of the widget could not be loaded:', e);"],
  ];
  for (const [from, to] of edits) {
    if (!js.includes(from)) throw new Error(`split: ${LINK} from wasm_split_cli no longer contains ${JSON.stringify(from)}; update widget/split.mjs`);
    js = js.replace(from, to);
  }
  return js;
}

/** wasm-opt's passes and the features the wasm uses (reference types for wasm-bindgen's externref
 * table; the rest are what Rust's wasm32 target enables). After -Oz, flattening and re-looping
 * the control flow and -Oz again until it stops shrinking (--converge) takes 2.1 KB gzip more
 * off the first module (0.9 %) for ~35 s of build time; -Oz alone was 220.9 KB. */
const WASM_OPT = ['-Oz', '--flatten', '--rereloop', '-Oz', '--converge', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-sign-ext', '--enable-multivalue', '--enable-mutable-globals'];
const optimise = (from, to) => run('wasm-opt', [...WASM_OPT, from, '-o', to]);

/** Finishes the widget's wasm in `dir` (Trunk's staging dir): split if it has split points,
 * optimised in a release build; returns the files written by the split (empty without split points). */
export async function finishWasm(dir, { profile = process.env.TRUNK_PROFILE || 'release' } = {}) {
  const targetDir = process.env.CARGO_TARGET_DIR || 'target';
  const raw = join(targetDir, 'wasm32-unknown-unknown', profile, 'baton.wasm');
  // Split points are imports of the loader functions (Leptos's own runtime writes the custom
  // section into every build, so its presence says nothing).
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(await readFile(raw)));
  if (!imports.some((i) => i.module.startsWith(SPLIT_IMPORT))) {
    // As Trunk does, debug builds stay unoptimised.
    if (profile == 'release') optimise(join(dir, 'baton_bg.wasm'), join(dir, 'baton_bg.wasm'));
    return [];
  }

  const work = await mkdtemp(join(tmpdir(), 'baton-split-'));
  try {
    run('wasm_split_cli', [raw, work]);
    run('wasm-bindgen', ['--keep-lld-exports', '--target', 'web', '--no-typescript', '--out-dir', join(work, 'glue'), '--out-name', 'baton', join(work, 'main.wasm')]);
    const parts = (await readdir(work)).filter((f) => f.endsWith('.wasm') && f != 'main.wasm').sort();
    if (!parts.length) throw new Error('split: wasm_split_cli found split points but wrote no part');
    // The glue's imports, and the exports only the glue calls, under short names, in the wasm
    // and the glue alike (wasm-names.mjs).
    const { wasm, renamed, exports } = shortenNames(await readFile(join(work, 'glue', 'baton_bg.wasm')), './baton_bg.js', GLUE_ONLY_EXPORTS);
    await writeFile(join(work, 'glue', 'baton_bg.wasm'), wasm);
    await writeFile(join(work, 'glue', 'baton.js'), renameInGlue(await readFile(join(work, 'glue', 'baton.js'), 'utf8'), renamed, exports));
    optimise(join(work, 'glue', 'baton_bg.wasm'), join(dir, 'baton_bg.wasm'));
    for (const part of parts) optimise(join(work, part), join(dir, part));
    await copyFile(join(work, 'glue', 'baton.js'), join(dir, 'baton.js'));
    await writeFile(join(dir, LINK), patchLink(await readFile(join(work, LINK), 'utf8')));
    return ['baton.js', 'baton_bg.wasm', LINK, ...parts];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
