// Baton loader: the one script a host page includes. See docs/embedding.md, "Embed".
// Tiny and dumb on purpose, because it is on the host page's critical path: it keeps the
// Baton(...) queue and records raw page events from its first line. Everything that can wait
// does: the launcher (launcher.js, imported once the body exists) and the widget (glue JS +
// wasm, beside this file, imported on intent, or when idle if the host asks). Formatting,
// redaction, grouping and bounds live in Rust.
(function (w, d) {
  'use strict';
  var B = w.Baton;
  if (B && B.loader) return; // included twice: the first copy owns the widget
  var q = (B && B.q) || [];
  var s = d.currentScript || d.querySelector('script[src*="loader.js"]');
  var base = new URL('.', (s && s.src) || location.href).href;
  var attrs = s ? Object.assign({}, s.dataset) : {};
  var ui, state = 0, dead = 0, listeners = [], undo = [];

  function log(m, e) { console.error('[Baton] ' + m, e || ''); }
  function listen(t, type, f, capture) { t.addEventListener(type, f, capture); listeners.push([t, type, f, capture]); }

  // ---- Capture hooks. Raw events are [kind, Date.now(), ...data]; until the wasm is there they
  // wait in the early buffer, then `sink` hands each one to Rust. In the buffer a repeat (same
  // kind and message) folds into the first one ([7] = count, [8] = last time), and each class
  // has its own room — console lines, errors (uncaught, rejections, resources), failed
  // requests, user actions — so that console noise never pushes out an error. What does not
  // fit is counted by kind; for clicks the oldest make room (the latest matter most).
  // Generated from the core (baton_core::capture::early): `BATON_WRITE_RULES=1 cargo test` writes
  // the values between the rule markers; a widget test fails when they differ.
  var CLASS = /*rule:classes*/{ con: 0, err: 1, rej: 1, res: 1, req: 2, nav: 3, click: 3 }/*end*/, ROOM = /*rule:rooms*/[100, 100, 50, 100]/*end*/;
  var events = [], used = [0, 0, 0, 0], folds = new Map(), dropped = {};
  // The fold key: kind and data (console arguments one by one), an Error by its stack; none
  // for user actions or for data holding other objects, which cannot be compared unformatted.
  function key(e) {
    if (CLASS[e[0]] > 2) return;
    var r = e[0], a = r == 'con' ? [e[2]].concat(e[3]) : e.slice(2, 7), i, v;
    for (i = 0; i < a.length; i++) {
      v = a[i];
      if (v instanceof Error) v = v.stack || v.message;
      else if (v && typeof v == 'object' || typeof v == 'function') return;
      r += '\n' + String(v);
    }
    return r.slice(0, /*rule:foldKeyChars*/300/*end*/);
  }
  function drop(kind) { dropped[kind] = (dropped[kind] || 0) + 1; }
  function keep(e) {
    var k = key(e), f = k && folds.get(k), c = CLASS[e[0]], i;
    if (f) { f[7] = (f[7] || 1) + 1; f[8] = e[1]; return; }
    if (used[c] >= ROOM[c]) {
      // Full of user actions: the oldest click makes room (never the page load's navigation).
      if (c < 3 || (i = events.findIndex(function (x) { return x[0] == 'click'; })) < 0) return drop(e[0]);
      drop('click');
      events.splice(i, 1);
      used[c]--;
    }
    used[c]++;
    events.push(e);
    if (k) folds.set(k, e);
  }
  var sink = keep;
  function rec(kind, a, b, c, d, e) {
    try { sink([kind, Date.now(), a, b, c, d, e]); } catch (x) {} // a broken widget must never break the host
  }
  // Errors the host's inline snippet caught before this file ran (docs/embedding.md, "Embed"): adopted in
  // order, and the snippet's listeners removed, since the hooks below take over.
  if (B && B.h) {
    w.removeEventListener('error', B.h);
    w.removeEventListener('unhandledrejection', B.h);
    (B.e || []).forEach(function (e) { try { keep(e); } catch (x) {} });
    if (B.n) dropped.snippet = B.n;
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
  // Baton's own requests are Request objects the widget registered in `mine` (see boot).
  var mine = new WeakSet();
  patch(w, 'fetch', function () { return Date.now(); }, function (s, a, p, t) {
    var i = a[0], m = (a[1] && a[1].method) || (i && i.method) || 'GET', u = (i && i.url) || String(i);
    var done = function (st) { if ((st >= 400 || !st) && !own(u) && !mine.has(i)) rec('req', 'fetch', m, u, st, Date.now() - t); };
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
  // Calls that need the widget itself: they load it, whether made before this file ran (the
  // snippet's queue) or after; the widget replays the queue in order, each call once.
  var NEEDS = { open: 1, toggle: 1, escalate: 1, snapshot: 1 };
  function queued() {
    q.push(arguments);
    var c = arguments[0];
    if (NEEDS[c]) load();
    else if (c == 'init' && cfg('preload') == 'idle') idle();
    else if (c == 'destroy') teardown();
    if ((c == 'init' || c == 'theme') && ui) ui.repaint();
  }
  queued.q = q;
  queued.loader = 1;
  w.Baton = queued;

  function idle() { (w.requestIdleCallback || setTimeout)(load); }

  // The launcher (shadow host, styles, button, theme `paint`) comes from launcher.js, so that
  // this file stays small; until it has drawn, an intent to open waits (state -1).
  function start() {
    import(base + 'launcher.js').then(function (m) {
      if (dead || ui) return;
      ui = m.default({ q: q, attrs: attrs, base: base, cfg: cfg, listen: listen, load: load });
      if (state < 0) { state = 0; load(); } // load was asked for before the launcher existed
      else if (cfg('preload') == 'idle') idle();
      // Handoffs waiting in the outbox (offline, closed tab) go out without waiting for a click.
      else try { if ((localStorage.getItem('baton.outbox.v1') || '[]') != '[]') idle(); } catch (e) {}
    }).catch(function (e) { log('could not load the launcher from ' + base, e); unanswered(); });
  }

  // A snapshot must always be answered: when the widget cannot load, with null.
  function unanswered() {
    var a = [], i;
    for (i = 0; i < q.length; i++) if (q[i][0] == 'snapshot') a.push(q.splice(i--, 1)[0][1]);
    a.forEach(function (f) { try { typeof f == 'function' && f(null); } catch (x) {} });
  }

  // The widget code itself is fetched and started by launcher.js (`ui.widget`), which asks
  // `take` for what the loader kept once it is there — unless Baton was destroyed meanwhile.
  function load() {
    if (dead || state > 0) return;
    if (!ui) { state = -1; return; }
    state = 1;
    ui.widget(function () {
      if (dead) return;
      state = 2;
      var e = events;
      events = [];
      folds = null;
      return { events: e, dropped: dropped, teardown: teardown, own: function (r) { mine.add(r); }, sink: function (f) { sink = f; } };
    }).catch(function (e) {
      state = 0; // the next intent tries again
      log('could not load the widget from ' + base, e);
      unanswered();
    });
  }

  function teardown() {
    dead = 1;
    live = 0;
    undo.forEach(function (f) { f(); });
    listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
    listeners = undo = events = [];
    if (ui) ui.host.remove();
    ui = null;
    var stub = function () { (stub.q = stub.q || []).push(arguments); };
    w.Baton = stub; // a later loader can start afresh; calls until then are kept
  }

  if (d.body) start();
  else listen(d, 'DOMContentLoaded', start);
  if (q.some(function (a) { return NEEDS[a[0]]; })) load();
})(window, document);
