// Builds the npm package in place (docs/embedding.md, "Embed"): the widget files from Trunk's dist/ into
// files/, their Subresource Integrity hashes (printed, and in files/integrity.json and
// src/meta.js), and the TypeScript types generated from the JSON Schemas in widget/.
//
//   node packages/baton-widget/scripts/build.mjs [DIST]     build (DIST defaults to ./dist)
//   node packages/baton-widget/scripts/build.mjs --check    fail if the committed types drifted
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { widgetFiles } from '../../../widget/size-report.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(pkg, '..', '..');

/** The generated declaration files: name → TypeScript source. The bundle and the context share
 * most of their types (both come from the widget's Rust types), so they are one file. */
export async function generatedTypes() {
  const schema = async (name) => JSON.parse(await readFile(join(repo, 'widget', `${name}.schema.json`), 'utf8'));
  const [bundle, context, kb, config] = [await schema('handoff'), await schema('context'), await schema('kb'), await schema('config')];
  const defs = { ...bundle.$defs };
  for (const [name, def] of Object.entries(context.$defs)) {
    if (defs[name] && JSON.stringify(defs[name]) !== JSON.stringify(def)) throw new Error(`$defs.${name} differs between handoff.schema.json and context.schema.json`);
    defs[name] = def;
  }
  const strip = ({ $schema, $defs, ...rest }) => rest;
  defs.Bundle = strip(bundle);
  defs.Context = strip(context);
  // A `$ref` with a sibling `description` would be declared again as a new type (DomHints1 …):
  // the reference alone points at the one declaration (which has its own description).
  const refsOnly = (v) => (Array.isArray(v) ? v.map(refsOnly) : v && typeof v === 'object' ? (v.$ref ? { $ref: v.$ref } : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, refsOnly(x)]))) : v);
  for (const name of Object.keys(defs)) defs[name] = refsOnly(defs[name]);
  const both = { title: 'Schemas', type: 'object', properties: { bundle: { $ref: '#/$defs/Bundle' }, context: { $ref: '#/$defs/Context' } }, $defs: defs };
  const banner = (names, origin) => `// Generated from ${names} by packages/baton-widget/scripts/build.mjs: do not edit.\n// ${origin}`;
  const options = { additionalProperties: false, format: false, declareExternallyReferenced: true };
  return {
    'schema.d.ts': await compile(both, 'Schemas', { ...options, bannerComment: banner("widget/handoff.schema.json and widget/context.schema.json", "Those schemas are generated from the widget's Rust types (cargo test checks them).") }),
    'config.d.ts': await compile(refsOnly(config), 'BatonConfig', { ...options, bannerComment: banner('widget/config.schema.json', "That schema is generated from the widget's config readers' keys (cargo test checks them).\nimport type { KbArticle } from './kb.js';") }),
    'kb.d.ts': await compile({ ...kb.$defs.article, title: 'KbArticle', $defs: kb.$defs }, 'KbArticle', { ...options, bannerComment: banner('widget/kb.schema.json', 'The schema is the KB format README documents (the test suite checks the demo KB against it).') }),
  };
}

if (process.argv[2] === '--check') {
  const stale = [];
  for (const [file, source] of Object.entries(await generatedTypes())) {
    const committed = await readFile(join(pkg, 'types', file), 'utf8').catch(() => '');
    if (committed !== source) stale.push(file);
  }
  if (stale.length) {
    console.error(`baton-widget: types/${stale.join(', types/')} out of date with widget/*.schema.json: run \`node packages/baton-widget/scripts/build.mjs\``);
    process.exit(1);
  }
  console.log('baton-widget: types match the schemas');
} else {
  const dist = process.argv[2] || join(repo, 'dist');
  const { version } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));
  const cargo = await readFile(join(repo, 'Cargo.toml'), 'utf8');
  const widgetVersion = cargo.match(/^version = "([^"]+)"/m)[1];
  if (widgetVersion !== version) throw new Error(`baton-widget ${version} but the widget is ${widgetVersion}: keep packages/baton-widget/package.json's version in step with Cargo.toml`);
  await mkdir(join(pkg, 'files'), { recursive: true });
  const integrity = {};
  const { first, lazy } = await widgetFiles(dist);
  for (const f of [...first, ...lazy]) {
    const bytes = await readFile(join(dist, f)).catch(() => { throw new Error(`${join(dist, f)} missing: run \`trunk build --release\` (make build) first`); });
    await copyFile(join(dist, f), join(pkg, 'files', f));
    integrity[f] = 'sha384-' + createHash('sha384').update(bytes).digest('base64');
  }
  await writeFile(join(pkg, 'files', 'integrity.json'), JSON.stringify(integrity, null, 2) + '\n');
  await writeFile(join(pkg, 'src', 'meta.js'), `// Generated by scripts/build.mjs.\nexport const VERSION = ${JSON.stringify(version)};\nexport const INTEGRITY = ${JSON.stringify(integrity, null, 2)};\n`);
  for (const [file, source] of Object.entries(await generatedTypes())) await writeFile(join(pkg, 'types', file), source);
  console.log(`baton-widget ${version}: files/ from ${dist}; Subresource Integrity (https://cdn.jsdelivr.net/npm/baton-widget@${version}/files/):`);
  for (const [f, h] of Object.entries(integrity)) console.log(`  ${f.padEnd(14)} ${h}`);
}
