// Trunk post-build step for the embed (Trunk.toml [[hooks]]), run on Trunk's staging dir:
// 0. split the lazily loaded parts out of the wasm and optimise it (split.mjs);
// 1. minify loader.js and launcher.js with terser, so that what hosts download stays small
//    while the sources stay readable (their rules from the core are already in them); minify the glue
//    wasm-bindgen and wasm_split_cli write (baton.js, __wasm_split.js; 11.0 -> 8.1 KB gzip) and
//    the stylesheet (esbuild; 3.5 -> 2.4 KB gzip), which Trunk copies as they are;
// 2. drop Trunk's own <link data-trunk rel="rust"> from the demo page: with inject_scripts off
//    Trunk leaves it behind, and the demo must carry only the customer's snippet.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { minify } from 'terser';
import { finishWasm } from './split.mjs';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('postbuild: set TRUNK_STAGING_DIR or pass the dist dir');
  process.exit(2);
}

const split = await finishWasm(dir);

const sizes = [];
for (const [name, module] of [['loader.js', false], ['launcher.js', true]]) {
  const path = join(dir, name);
  const source = await readFile(path, 'utf8');
  const out = await minify(source, {
    ecma: 2017,
    module,
    compress: { passes: 3, unsafe: true, pure_getters: true },
    mangle: { toplevel: true },
    format: { comments: false },
  });
  await writeFile(path, out.code);
  sizes.push(`${name} ${source.length} -> ${out.code.length} bytes`);
}

// The glue keeps its export names (the parts' loader imports them by name) and is left to
// terser's safe transforms: it is generated code, and its shape changes with wasm-bindgen.
for (const name of ['baton.js', ...split.filter((f) => f == '__wasm_split.js')]) {
  const path = join(dir, name);
  const source = await readFile(path, 'utf8');
  const out = await minify(source, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  await writeFile(path, out.code);
  sizes.push(`${name} ${source.length} -> ${out.code.length} bytes`);
}
{
  const path = join(dir, 'baton.css');
  const source = await readFile(path, 'utf8');
  const out = await transform(source, { loader: 'css', minify: true, legalComments: 'none' });
  await writeFile(path, out.code);
  sizes.push(`baton.css ${source.length} -> ${out.code.length} bytes`);
}

const htmlPath = join(dir, 'index.html');
const html = await readFile(htmlPath, 'utf8');
await writeFile(htmlPath, html.replace(/<link[^>]*\bdata-trunk\b[^>]*>\s*/g, ''));
console.log(`postbuild: ${split.length ? `lazy parts split (${split.join(', ')}); ` : ''}${sizes.join(', ')}`);
