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
  var host, root, btn, css, mod, state = 0, dead = 0, listeners = [], undo = [];

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
  // The theme so far: data-* shorthands, then every init({theme}) and theme() call in order.
  function themed() {
    var t = { accent: attrs.accent, mode: attrs.mode, position: attrs.position, launcher: { label: attrs.launcherLabel } };
    q.forEach(function (a) {
      var p = a[0] == 'init' ? a[1] && a[1].theme : a[0] == 'theme' && a[1];
      if (p) for (var k in p) t[k] = k == 'launcher' ? Object.assign({}, t.launcher, p[k]) : p[k];
    });
    return t;
  }

  function queued() {
    q.push(arguments);
    var c = arguments[0];
    if (c == 'open' || c == 'toggle' || c == 'escalate') load();
    else if (c == 'init' && cfg('preload') == 'idle') idle();
    else if (c == 'destroy') teardown();
    if ((c == 'init' || c == 'theme') && host) paint(themed(), cfg('customCss'));
  }
  queued.q = q;
  queued.loader = 1;
  w.Baton = queued;

  function idle() { (w.requestIdleCallback || setTimeout)(load); }

  // The one place theme config reaches the page, before and after the wasm (Rust calls it with
  // the validated theme and the CSS it derives). Values go in as --baton-* custom properties
  // of a constructable stylesheet (no inline style, so a strict CSP is fine); a value the
  // browser does not accept for its property is skipped and its key returned, never written.
  var sheet, style, opener, TOKENS = { accent: 'color', font: 'font-family', radius: 'border-radius', offset: 'bottom', zIndex: 'z-index' };
  // Launcher words by language; the build fills in every language of src/i18n/mod.rs.
  var LANGS = /*LANGS*/{ en: ['Help'] }/*LANGS*/;
  function lang() {
    var c = [cfg('locale')].concat(navigator.languages || []), i, k;
    for (i = 0; i < c.length; i++) if (LANGS[k = String(c[i] || '').split(/[-_]/)[0].toLowerCase()]) return k;
    return 'en';
  }
  var ICONS = { chat: 'M3 4h18v13H8l-5 4z', help: 'M12 2a10 10 0 100 20 10 10 0 000-20zm1 16h-2v-2h2zm2-7.7l-.9.9c-.7.7-1.1 1.3-1.1 2.8h-2v-.5c0-1.1.4-2.1 1.2-2.8l1.2-1.3A2 2 0 1010 8H8a4 4 0 118 0c0 .9-.4 1.7-1 2.3z' };
  function paint(t, css) {
    t = t || {};
    var bad = [], l = t.launcher || {}, v, k, c = '';
    for (k in TOKENS) if ((v = t[k]) != null) {
      if (typeof v == 'number' && k != 'zIndex') v += 'px';
      if (CSS.supports(TOKENS[k], v)) c += '--baton-' + (k == 'zIndex' ? 'z-index' : k) + ':' + v + ';';
      else bad.push(k);
    }
    c = ':host{' + c + '}' + (css || '');
    if (sheet) sheet.replaceSync(c);
    else style.textContent = c;
    host.dataset.position = t.position == 'bottom-left' ? t.position : 'bottom-right';
    host.dataset.mode = t.mode == 'dark' || t.mode == 'auto' ? t.mode : 'light';
    host.dataset.launcher = l.hidden ? 'hidden' : 'shown';
    // Rust sends the language it chose; before the wasm, the loader chooses the same way.
    k = t.lang || lang();
    host.lang = k;
    host.dir = (t.lang ? t.rtl : LANGS[k][1]) ? 'rtl' : 'ltr';
    v = String(l.label || (cfg('strings') || {}).launcher || LANGS[k][0]).slice(0, 40);
    btn.setAttribute('aria-label', v);
    btn.lastChild.textContent = v;
    v = ICONS[l.icon || 'chat'];
    btn.firstChild.setAttribute('display', v ? 'inline' : 'none');
    btn.firstChild.firstChild.setAttribute('d', v || '');
    opener = t.selector; // a host's own button that opens Baton
    return bad;
  }

  function mount() {
    if (host || dead) return;
    host = d.createElement('baton-widget');
    root = host.attachShadow({ mode: 'open' });
    try {
      sheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [sheet]; // CSP-safe: no inline <style> needed
    } catch (e) {
      sheet = 0;
      style = d.createElement('style'); // browsers without constructable stylesheets
      style.nonce = cfg('nonce') || '';
      root.appendChild(style);
    }
    // Styles (launcher and panel) are one file, fetched now; the launcher shows once they apply.
    var link = d.createElement('link');
    link.rel = 'stylesheet';
    link.href = base + 'baton.css';
    link.nonce = cfg('nonce') || '';
    root.insertBefore(link, root.firstChild);
    btn = d.createElement('button');
    btn.type = 'button';
    btn.className = 'launcher';
    btn.hidden = true;
    css = new Promise(function (ok) { link.onload = link.onerror = function () { btn.hidden = false; ok(); }; });
    btn.setAttribute('part', 'launcher');
    btn.setAttribute('aria-haspopup', 'dialog');
    btn.setAttribute('aria-expanded', 'false');
    var NS = 'http://www.w3.org/2000/svg', svg = d.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.appendChild(d.createElementNS(NS, 'path'));
    btn.appendChild(svg);
    btn.appendChild(d.createElement('span'));
    root.appendChild(btn);
    paint(themed(), cfg('customCss'));
    listen(btn, 'pointerenter', load);
    listen(btn, 'focus', load);
    listen(btn, 'click', function () { w.Baton('toggle'); });
    listen(d, 'click', function (e) {
      try { if (opener && e.target.closest(opener)) { e.preventDefault(); w.Baton('open'); } } catch (x) {}
    });
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
    // The widget reads resolved theme colours at boot: the stylesheet must have applied.
    Promise.all([import(base + 'baton.js').then(function (m) {
      mod = m;
      return m.default({ module_or_path: base + 'baton_bg.wasm' });
    }), css]).then(function () {
      if (dead) return;
      state = 2;
      w.Baton = function () {
        try { return mod.command(Array.prototype.slice.call(arguments)); } catch (e) { log('call failed:', e); }
      };
      w.Baton.loader = 1;
      mod.boot({ root: root, launcher: btn, config: attrs, queue: q, teardown: teardown, paint: paint, events: events, dropped: dropped });
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
    if (host) host.remove();
    host = root = btn = opener = null;
    var stub = function () { (stub.q = stub.q || []).push(arguments); };
    w.Baton = stub; // a later loader can start afresh; calls until then are kept
  }

  if (d.body) mount();
  else listen(d, 'DOMContentLoaded', mount);
})(window, document);
