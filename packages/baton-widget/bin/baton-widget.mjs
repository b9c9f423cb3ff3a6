#!/usr/bin/env node
// `npx baton-widget copy DIR`: copies the widget files into DIR (e.g. public/baton), so that an
// app serves its own copy and passes `base: '/baton/'` to load() (docs/embedding.md, "Embed").
// `npx baton-widget integrity`: prints each file's Subresource Integrity hash.
import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const files = join(dirname(fileURLToPath(import.meta.url)), '..', 'files');
const [command, dir] = process.argv.slice(2);
if (command === 'copy' && dir) {
  await cp(files, dir, { recursive: true });
  console.log(`baton-widget: the widget files are in ${dir}; load({ base: '/${dir.replace(/^(\.\/)?(public|static)\//, '').replace(/\/?$/, '/')}' })`);
} else if (command === 'integrity') {
  const integrity = JSON.parse(await readFile(join(files, 'integrity.json'), 'utf8'));
  for (const [f, h] of Object.entries(integrity)) console.log(`${f.padEnd(14)} ${h}`);
} else {
  console.error('usage: baton-widget copy DIR | baton-widget integrity');
  process.exit(2);
}
