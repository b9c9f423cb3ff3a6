// Shared set-up for the end-to-end suites: Debian's Chromium driven by playwright-core (never a
// downloaded browser), and dist/ served on localhost.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { serve } from './serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {}
  }
  throw new Error('Chromium not found: run `make setup` (installs Debian chromium)');
}

/** Starts the server and the browser; returns {base, browser, dist (the folder served), close}. */
export async function start(dist = process.env.DIST || 'dist', { extraArgs = [] } = {}) {
  const server = await serve(dist);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...extraArgs] });
  return {
    base,
    browser,
    dist,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A new page (`context`: Playwright context options — viewport, locale, colorScheme…) that records every request URL and every console message. */
export async function page(browser, { init, captureConsole = true, context: options = {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const p = await context.newPage();
  p.requests = [];
  p.consoleLines = [];
  p.pageErrors = [];
  p.on('request', (r) => p.requests.push(r.url()));
  if (captureConsole) p.on('console', (m) => p.consoleLines.push(`${m.type()}: ${m.text()}`));
  p.on('pageerror', (e) => p.pageErrors.push(String(e)));
  if (init) await p.addInitScript(init);
  return p;
}

/** Evaluates `fn` against the widget's shadow root (`root`) inside the page. */
export function inWidget(p, fn, arg) {
  return p.evaluate(
    ([src, a]) => {
      const host = document.querySelector('baton-widget');
      const root = host && host.shadowRoot;
      return new Function('root', 'host', 'arg', `return (${src})(root, host, arg);`)(root, host, a);
    },
    [fn.toString(), arg],
  );
}

export const fetchedWidget = (p) => p.requests.filter((u) => /baton(_bg\.wasm|\.js)$/.test(u));

/** A loopback HTTP server for receiver tests (a help desk, a support endpoint). `handle(path,
 * json)` returns `[status, body, headers?]`; CORS preflights are answered. Resolves to
 * `{url, calls, close}`; `calls` lists `[path, json, headers]` in arrival order. */
export async function loopback(handle) {
  const { createServer } = await import('node:http');
  const calls = [];
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type, idempotency-key',
  };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = JSON.parse(body || 'null');
      calls.push([req.url, json, req.headers]);
      const [status, reply, headers = {}] = handle(req.url, json);
      res.writeHead(status, { ...cors, 'content-type': 'application/json', ...headers }).end(JSON.stringify(reply));
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Serves `html` at `base + path` for page `p` only (a host page made for one test). */
export async function hostPage(p, base, html, { path = '/host', headers = {} } = {}) {
  await p.route(base + path, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html, headers }));
  await p.goto(base + path);
}

/** A minimal host page: `head` goes before Baton's snippet (queued calls), `attrs` on the tag. */
export function hostHtml({ head = '', attrs = '', body = '' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };</script>
${head}<script async src="/loader.js" data-kb="/demo-kb.json" ${attrs}></script></head>
<body><main><h1>Host app</h1><p>Some page text.</p><button id="help" type="button">Need help?</button>${body}</main></body></html>`;
}

/** WCAG contrast ratio of two computed colours (`rgb(…)` strings), for assertions. */
export function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m);
  return (x + 0.05) / (y + 0.05);
}

/** Computed colours of the first element matching `selector` in the widget's shadow root,
 * normalised to `rgb(r, g, b)` through a canvas (the browser may report `color(…)` forms). */
export function widgetColors(p, selector, props = ['color', 'background-color']) {
  return p.evaluate(
    ([sel, props]) => {
      const el = document.querySelector('baton-widget').shadowRoot.querySelector(sel);
      const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
      const norm = (c) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000';
        ctx.fillStyle = c;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
        return `rgb(${r}, ${g}, ${b})`;
      };
      const cs = getComputedStyle(el);
      return Object.fromEntries(props.map((k) => [k, norm(cs.getPropertyValue(k))]));
    },
    [selector, props],
  );
}
