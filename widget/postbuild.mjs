// Trunk post-build step for the embed (Trunk.toml [[hooks]]), run on Trunk's staging dir:
// 1. minify loader.js with terser, so that what hosts download stays within its 2 KB gzip
//    budget while widget/loader.js stays readable;
// 2. drop Trunk's own <link data-trunk rel="rust"> from the demo page: with inject_scripts off
//    Trunk leaves it behind, and the demo must carry only the customer's snippet.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('postbuild: set TRUNK_STAGING_DIR or pass the dist dir');
  process.exit(2);
}

const loaderPath = join(dir, 'loader.js');
const source = await readFile(loaderPath, 'utf8');
const out = await minify(source, {
  ecma: 2017,
  compress: { passes: 3, unsafe: true, pure_getters: true },
  mangle: { toplevel: true },
  format: { comments: false },
});
await writeFile(loaderPath, out.code);

const htmlPath = join(dir, 'index.html');
const html = await readFile(htmlPath, 'utf8');
await writeFile(htmlPath, html.replace(/<link[^>]*\bdata-trunk\b[^>]*>\s*/g, ''));
console.log(`postbuild: loader.js ${source.length} -> ${out.code.length} bytes`);
