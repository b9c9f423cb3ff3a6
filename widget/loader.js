// Baton loader: the one script a host page includes. See README, "Embed".
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
  var ui, mod, state = 0, dead = 0, listeners = [], undo = [];

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
    }).catch(function (e) { log('could not load the launcher from ' + base, e); });
  }

  function load() {
    if (dead || state > 0) return;
    if (!ui) { state = -1; return; }
    state = 1;
    // The widget reads resolved theme colours at boot: the stylesheet must have applied.
    Promise.all([import(base + 'baton.js').then(function (m) {
      mod = m;
      return m.default({ module_or_path: base + 'baton_bg.wasm' });
    }), ui.css]).then(function () {
      if (dead) return;
      state = 2;
      w.Baton = function () {
        try { return mod.command(Array.prototype.slice.call(arguments)); } catch (e) { log('call failed:', e); }
      };
      w.Baton.loader = 1;
      mod.boot({ root: ui.root, launcher: ui.btn, config: attrs, queue: q, teardown: teardown, paint: ui.paint, events: events, dropped: dropped });
      events = [];
      sink = mod.capture;
    }).catch(function (e) {
      state = 0; // the next intent tries again
      log('could not load the widget from ' + base, e);
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
})(window, document);
