// Capture overhead benchmark (not a test: it times things, so it never fails on a number).
// In each of RUNS fresh demo pages, Baton is loaded and every measure runs with Baton's hooks
// in place; then `Baton('destroy')` restores the originals and the same measures run again in
// the same page (between pages, Chromium's own console and history costs vary by 2x, which
// would drown the difference). Medians are printed side by side.
//
//   make bench-capture      (or: node tests/bench/capture.mjs [dist])
import { start, page } from '../e2e/browser.mjs';

const RUNS = Number(process.env.RUNS || 7);
const env = await start(process.argv[2] || 'dist', {
  // Chromium throttles history calls beyond ~200 per 10 s; the benchmark makes thousands.
  extraArgs: ['--disable-ipc-flooding-protection'],
});

async function open() {
  const p = await page(env.browser, { captureConsole: false });
  await p.goto(env.base + '/');
  await p.locator('.launcher').hover();
  await p.waitForFunction(() => typeof Baton === 'function' && !Baton.q);
  return p;
}

// Each returns a number measured inside the page (functions are serialised into the page, so
// each carries its own helper). Per-call costs are the median of 9 batches in the same page, so
// that one slow batch (GC, a history IPC hiccup) does not decide.
const MEASURES = {
  'console.error, µs per call': () => {
    const batches = (n, call) => { const t = []; for (let b = 0; b < 9; b++) { const t0 = performance.now(); for (let i = 0; i < n; i++) call(i); t.push(((performance.now() - t0) / n) * 1000); } return t.sort((a, b) => a - b)[4]; };
    return batches(500, (i) => console.error('bench message', i % 10));
  },
  'history.pushState, µs per call': () => {
    const batches = (n, call) => { const t = []; for (let b = 0; b < 9; b++) { const t0 = performance.now(); for (let i = 0; i < n; i++) call(i); t.push(((performance.now() - t0) / n) * 1000); } return t.sort((a, b) => a - b)[4]; };
    return batches(200, (i) => history.pushState(null, '', '/bench?i=' + (i % 50)));
  },
  'fetch call (sync part), µs per call': () => {
    const batches = (n, call) => { const t = []; for (let b = 0; b < 9; b++) { const t0 = performance.now(); for (let i = 0; i < n; i++) call(i); t.push(((performance.now() - t0) / n) * 1000); } return t.sort((a, b) => a - b)[4]; };
    return batches(50, (i) => fetch('/api/bench?i=' + (i % 5)).catch(() => 0));
  },
  'storm: 10,000 identical errors, ms': () => {
    const t0 = performance.now();
    for (let i = 0; i < 10000; i++) window.dispatchEvent(new ErrorEvent('error', { message: 'storm', error: new Error('storm') }));
    return performance.now() - t0;
  },
  'storm: 10,000 distinct console errors, ms': () => {
    const t0 = performance.now();
    for (let i = 0; i < 10000; i++) console.error('distinct failure ' + i.toString(36) + ' in ' + (i * 7919).toString(36));
    return performance.now() - t0;
  },
};

// Baton's own processing of one raw event (the wasm side of a hook), called directly: this
// is what Baton adds to each hooked call, without the browser's console or history costs,
// which vary with the DevTools protocol that Playwright keeps attached.
const PROCESSING = {
  'wasm processing of a console.error, µs': ['con', 'error', ['bench message', 7]],
  'wasm processing of a navigation, µs': ['nav', 'push', 'https://app.example.com/invoices?page=2&token=abc', 'Invoices'],
  'wasm processing of a failed fetch, µs': ['req', 'fetch', 'GET', 'https://api.example.com/payments?since=2026', 500, 12],
  'wasm processing of a repeated error, µs': ['err', 'storm', 'https://app.example.com/app.js', 1, 1, null],
};
async function processing(p) {
  return p.evaluate(async (cases) => {
    const m = await import('/baton.js');
    const out = {};
    for (const [name, [kind, ...data]] of Object.entries(cases)) {
      const t = [];
      for (let b = 0; b < 9; b++) {
        const t0 = performance.now();
        for (let i = 0; i < 300; i++) m.capture([kind, Date.now(), ...data]);
        t.push(((performance.now() - t0) / 300) * 1000);
      }
      out[name] = t.sort((a, b) => a - b)[4];
    }
    return out;
  }, PROCESSING);
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const samples = Object.fromEntries(Object.keys(MEASURES).map((k) => [k, { with: [], without: [] }]));
const own = Object.fromEntries(Object.keys(PROCESSING).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) {
  const p = await open();
  for (const [name, v] of Object.entries(await processing(p))) own[name].push(v);
  for (const arm of ['with', 'without']) {
    if (arm === 'without') await p.evaluate(() => Baton('destroy'));
    for (const [name, fn] of Object.entries(MEASURES)) samples[name][arm].push(await p.evaluate(fn));
  }
  await p.context().close();
}
const rows = Object.entries(samples).map(([name, s]) => [name, median(s.without), median(s.with)]);
const memory = await (async () => {
  const p = await open();
  const cdp = await p.context().newCDPSession(p);
  const heap = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await cdp.send('HeapProfiler.collectGarbage');
  const before = await heap();
  await p.evaluate(MEASURES['storm: 10,000 distinct console errors, ms']);
  await p.evaluate(MEASURES['storm: 10,000 identical errors, ms']);
  await p.evaluate(() => new Promise((ok) => setTimeout(ok, 50)));
  await cdp.send('HeapProfiler.collectGarbage');
  const after = await heap();
  const snapshotBytes = await p.evaluate(() => JSON.stringify(Baton('snapshot')).length);
  await p.context().close();
  return { before, after, snapshotBytes };
})();
await env.close();

console.log(`Capture overhead, headless Chromium, median of ${RUNS} runs`);
console.log('| measure | without Baton | with Baton | overhead |');
console.log('|---|---:|---:|---:|');
for (const [name, a, b] of rows) console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b - a).toFixed(2)} |`);
for (const [name, xs] of Object.entries(own)) console.log(`| ${name} | — | ${median(xs).toFixed(2)} | ${median(xs).toFixed(2)} |`);
console.log(`JS heap after both storms and GC: ${(memory.before / 1e6).toFixed(2)} MB -> ${(memory.after / 1e6).toFixed(2)} MB; snapshot ${memory.snapshotBytes} bytes`);
