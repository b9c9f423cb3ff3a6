// Size report for what a host's users download: raw, gzip and brotli of each widget file in
// dist/, the bytes before any interaction (loader, launcher, CSS) and the total of a first open
// (those plus glue JS and wasm). `make size` runs it; the benchmark imports `sizes`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// In the order a browser fetches them: loader, launcher and CSS at page load, the rest on first open.
const FILES = ['loader.js', 'launcher.js', 'baton.css', 'baton.js', 'baton_bg.wasm'];
/** The byte budgets (README, "Benchmark"). */
export const BUDGETS = { loaderGzip: 2048, firstOpenGzip: 120 * 1024 };

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

/** Sizes of the widget's files in `dir`: `{rows, before, firstOpen}` (rows in fetch order). */
export async function sizes(dir) {
  const rows = [];
  for (const name of FILES) rows.push({ name, ...compressed(await readFile(join(dir, name))) });
  return { rows, before: sum(rows.slice(0, 3)), firstOpen: sum(rows) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || 'dist';
  const { rows, before, firstOpen } = await sizes(dir);
  const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
  console.log(`Baton size report (${dir}/)`);
  console.log('| file               |        raw |       gzip |     brotli |');
  console.log('|--------------------|-----------:|-----------:|-----------:|');
  for (const r of [...rows, { name: 'before interaction', ...before }, { name: 'first open', ...firstOpen }]) {
    console.log(`| ${r.name.padEnd(18)} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
  }
  const snippet = await snippetSize();
  console.log(`inline snippet (queue + early errors), minified: ${snippet.raw} B raw, ${snippet.gzip} B gzip`);
  const loader = rows[0];
  const verdict = (ok) => (ok ? 'within budget' : 'OVER BUDGET');
  console.log(`loader.js gzip ${loader.gzip} B of ${BUDGETS.loaderGzip} B: ${verdict(loader.gzip <= BUDGETS.loaderGzip)}`);
  console.log(`first open gzip ${(firstOpen.gzip / 1024).toFixed(1)} KB of ${BUDGETS.firstOpenGzip / 1024} KB: ${verdict(firstOpen.gzip <= BUDGETS.firstOpenGzip)}`);
}
