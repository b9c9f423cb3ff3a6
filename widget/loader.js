// Baton loader: the one script a host page includes. See README, "Embed".
// Tiny and dumb on purpose: it keeps the Baton(...) queue, records raw page events from its
// first line, draws the launcher in a shadow root, and imports the widget (glue JS + wasm +
// CSS, beside this file) only on intent, or when idle if the host asks. Everything else —
// formatting, redaction, grouping, bounds — lives in Rust.
(function (w, d) {
  'use strict';
  var B = w.Baton;
  if (B && B.loader) return; // included twice: the first copy owns the widget
  var q = (B && B.q) || [];
  var s = d.currentScript || d.querySelector('script[src*="loader.js"]');
  var base = new URL('.', (s && s.src) || location.href).href;
  var attrs = s ? Object.assign({}, s.dataset) : {};
  var host, root, btn, mod, state = 0, dead = 0, listeners = [], undo = [];

  function log(m, e) { console.error('[Baton] ' + m, e || ''); }
  function listen(t, type, f, capture) { t.addEventListener(type, f, capture); listeners.push([t, type, f, capture]); }

  // ---- Capture hooks. Raw events are [kind, Date.now(), ...data]; until the wasm is there they
  // wait in a small buffer (overflow is counted), then `sink` hands each one to Rust.
  var events = [], dropped = 0;
  var sink = function (e) { events.length < 100 ? events.push(e) : dropped++; };
  function rec(kind, a, b, c, d, e) {
    try { sink([kind, Date.now(), a, b, c, d, e]); } catch (x) {} // a broken widget must never break the host
  }
  function nav(via) { rec('nav', via, location.href, d.title); }
  // Wraps o[k] so that the host's function (or whoever patched it before us) still runs with
  // the same `this`, arguments, return value and exceptions. Restored on teardown when nobody
  // wrapped it after us; otherwise it stays in their chain as a pass-through (live = 0).
  function patch(o, k, before, after) {
    var orig = o && o[k];
    if (typeof orig != 'function') return;
    var wrapped = function () {
      var s;
      if (live && before) try { s = before(this, arguments); } catch (x) {}
      var r = orig.apply(this, arguments);
      if (live && after) try { after(this, arguments, r, s); } catch (x) {}
      return r;
    };
    o[k] = wrapped;
    undo.push(function () { if (o[k] === wrapped) o[k] = orig; });
  }
  // Baton's own files are not the host's failed requests.
  var live = 1, own = function (u) { return String(u).indexOf(base + 'baton') == 0; };
  ['error', 'warn'].forEach(function (level) {
    patch(console, level, function (s, a) {
      if (!(typeof a[0] == 'string' && a[0].indexOf('[Baton]') == 0)) rec('con', level, [].slice.call(a));
    });
  });
  ['pushState', 'replaceState'].forEach(function (k, i) {
    patch(history, k, 0, function () { nav(i ? 'replace' : 'push'); });
  });
  patch(w, 'fetch', function () { return Date.now(); }, function (s, a, p, t) {
    var i = a[0], m = (a[1] && a[1].method) || (i && i.method) || 'GET', u = (i && i.url) || String(i);
    var done = function (st) { if ((st >= 400 || !st) && !own(u) && !(a[1] && a[1].baton)) rec('req', 'fetch', m, u, st, Date.now() - t); };
    if (p && p.then) p.then(function (r) { done(r.status); }, function () { done(0); });
  });
  var xhrs = new WeakMap(), X = w.XMLHttpRequest && XMLHttpRequest.prototype;
  patch(X, 'open', function (s, a) { xhrs.set(s, [a[0], String(a[1])]); });
  patch(X, 'send', function (s) {
    var m = xhrs.get(s), t = Date.now();
    if (m && !own(m[1])) ['load', 'error', 'timeout'].forEach(function (ev) {
      s.addEventListener(ev, function () {
        var st = ev == 'load' ? s.status : 0;
        if (live && (st >= 400 || !st)) rec('req', 'xhr', m[0], m[1], st, Date.now() - t);
      });
    });
  });
  listen(w, 'error', function (e) {
    var t = e.target;
    if (t && t.nodeType == 1) rec('res', t.tagName, t.currentSrc || t.src || t.href);
    else rec('err', e.message, e.filename, e.lineno, e.colno, e.error);
  }, true);
  listen(w, 'unhandledrejection', function (e) { rec('rej', e.reason); });
  ['popstate', 'hashchange'].forEach(function (ev, i) { listen(w, ev, function () { nav(i ? 'hash' : 'pop'); }); });
  listen(d, 'click', function (e) { rec('click', e.target); }, true);
  nav('load');
  // Config the loader itself needs before the wasm: the last init() value, else data-*.
  function cfg(k) {
    var v = attrs[k];
    q.forEach(function (a) { if (a[0] == 'init' && a[1] && a[1][k] != null) v = a[1][k]; });
    return v;
  }

  function queued() {
    q.push(arguments);
    var c = arguments[0];
    if (c == 'open' || c == 'toggle' || c == 'escalate') load();
    else if (c == 'init' && cfg('preload') == 'idle') idle();
    else if (c == 'destroy') teardown();
  }
  queued.q = q;
  queued.loader = 1;
  w.Baton = queued;

  function idle() { (w.requestIdleCallback || setTimeout)(load); }

  var CSS =
    ':host{all:initial!important}' +
    '.launcher{position:fixed;z-index:var(--baton-z,2147483000);bottom:20px;right:20px;display:flex;' +
    'align-items:center;gap:8px;height:48px;padding:0 18px 0 14px;border:0;border-radius:24px;cursor:pointer;' +
    'font:600 15px/1 var(--baton-font,system-ui,sans-serif);' +
    'color:var(--baton-on-accent,#fff);background:var(--baton-accent,#4f46e5);box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    ':host([data-position=bottom-left]) .launcher{right:auto;left:20px}' +
    '.launcher:focus-visible{outline:3px solid var(--baton-focus,#f59e0b);outline-offset:2px}' +
    '.launcher svg{width:22px;height:22px;fill:currentColor}';

  function mount() {
    if (host || dead) return;
    host = d.createElement('baton-widget');
    host.setAttribute('data-position', cfg('position') == 'bottom-left' ? 'bottom-left' : 'bottom-right');
    root = host.attachShadow({ mode: 'open' });
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet]; // CSP-safe: no inline <style> needed
    } catch (e) {
      var st = d.createElement('style'); // browsers without constructable stylesheets
      st.textContent = CSS;
      root.appendChild(st);
    }
    btn = d.createElement('button');
    btn.type = 'button';
    btn.className = 'launcher';
    btn.setAttribute('aria-haspopup', 'dialog');
    btn.setAttribute('aria-expanded', 'false');
    var label = String(cfg('launcherLabel') || 'Help').slice(0, 40);
    btn.setAttribute('aria-label', label);
    var NS = 'http://www.w3.org/2000/svg', svg = d.createElementNS(NS, 'svg'), p = d.createElementNS(NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    p.setAttribute('d', 'M3 4h18v13H8l-5 4z'); // a speech bubble
    svg.appendChild(p);
    var span = d.createElement('span');
    span.className = 'label';
    span.textContent = label;
    btn.appendChild(svg);
    btn.appendChild(span);
    root.appendChild(btn);
    listen(btn, 'pointerenter', load);
    listen(btn, 'focus', load);
    listen(btn, 'click', function () { w.Baton('toggle'); });
    d.body.appendChild(host);
    if (state < 0) { state = 0; load(); } // load was asked for before the body existed
    else if (cfg('preload') == 'idle') idle();
    // Handoffs waiting in the outbox (offline, closed tab) go out without waiting for a click.
    else try { if ((localStorage.getItem('baton.outbox.v1') || '[]') != '[]') idle(); } catch (e) {}
  }

  function load() {
    if (dead || state > 0) return;
    if (!root) { state = -1; return; }
    state = 1;
    var link = d.createElement('link');
    link.rel = 'stylesheet';
    link.href = base + 'baton.css';
    var css = new Promise(function (ok) { link.onload = link.onerror = ok; });
    root.appendChild(link);
    Promise.all([
      import(base + 'baton.js').then(function (m) {
        mod = m;
        return m.default({ module_or_path: base + 'baton_bg.wasm' });
      }),
      css
    ]).then(function () {
      if (dead) return;
      state = 2;
      w.Baton = function () {
        try { return mod.command(Array.prototype.slice.call(arguments)); } catch (e) { log('call failed:', e); }
      };
      w.Baton.loader = 1;
      mod.boot({ root: root, launcher: btn, config: attrs, queue: q, teardown: teardown, events: events, dropped: dropped });
      events = [];
      sink = mod.capture;
    }).catch(function (e) {
      state = 0; // the next intent tries again
      link.remove();
      log('could not load the widget from ' + base, e);
    });
  }

  function teardown() {
    dead = 1;
    live = 0;
    undo.forEach(function (f) { f(); });
    listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
    listeners = undo = events = [];
    if (host) host.remove();
    host = root = btn = null;
    var stub = function () { (stub.q = stub.q || []).push(arguments); };
    w.Baton = stub; // a later loader can start afresh; calls until then are kept
  }

  if (d.body) mount();
  else listen(d, 'DOMContentLoaded', mount);
})(window, document);
