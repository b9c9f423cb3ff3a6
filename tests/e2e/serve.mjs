// A small static server for dist/: the demo command and the end-to-end suite both use it.
// It serves what a host's server or CDN must (docs/embedding.md, "Serving Baton"): `application/wasm`
// for the .wasm, and CORS headers so that the widget files also load cross-origin. Unknown
// paths without an extension get index.html (the demo is a single-page app), and /api/*
// answers 500, so that the demo's "failing request" button really fails.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Starts serving `dir` on 127.0.0.1:`port` (0 picks a free port). Resolves to the server.
 * With `endpoint`, the demo page's loader tag gets `data-endpoint` (the demo command points it
 * at the relay it starts); with `encoder`, `data-encoder` (the relay's `/v1/encode`). */
export function serve(dir, port = 0, { log = false, endpoint = '', encoder = '' } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (status, body, type) => {
      res.writeHead(status, {
        'content-type': type,
        'access-control-allow-origin': '*',
        'cache-control': 'no-cache',
      });
      res.end(body);
      if (log) console.log(status, req.method, url.pathname);
    };
    if (url.pathname.startsWith('/api/')) {
      return send(500, JSON.stringify({ error: 'internal error' }), TYPES['.json']);
    }
    const path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(root)) return send(403, 'forbidden', 'text/plain');
    const ext = extname(path);
    try {
      const file = url.pathname.endsWith('/') || !ext ? join(root, 'index.html') : path;
      let body = await readFile(file);
      if ((endpoint || encoder) && file == join(root, 'index.html')) {
        const attributes = (endpoint ? ` data-endpoint="${endpoint}"` : '') + (encoder ? ` data-encoder="${encoder}"` : '');
        body = String(body).replace('<script async src="/loader.js"', `<script async src="/loader.js"${attributes}`);
      }
      send(200, body, TYPES[extname(file)] || 'application/octet-stream');
    } catch {
      send(404, 'not found', 'text/plain');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] || 'dist';
  const port = Number(process.argv[3] || process.env.PORT || 8080);
  const relay = process.env.BATON_RELAY || '';
  const server = await serve(dir, port, { log: true, endpoint: relay && `${relay}/v1/handoffs`, encoder: relay && process.env.BATON_ENCODER_MODEL ? `${relay}/v1/encode` : '' });
  console.log(`Baton demo: http://127.0.0.1:${server.address().port}/  (serving ${dir}, Ctrl-C stops)`);
  if (relay) console.log(`Handoffs go to the relay at ${relay}; agents read them at ${relay}/inbox`);
}
