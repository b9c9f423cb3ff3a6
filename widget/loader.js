/*! Baton loader | the one script a host page includes. See README, "Embed". */
// Tiny and dumb on purpose: it keeps the Baton(...) queue, draws the launcher in a shadow
// root, and imports the widget (glue JS + wasm + CSS, beside this file) only on intent, or
// when idle if the host asks. Everything else lives in Rust.
(function (w, d) {
  'use strict';
  var B = w.Baton;
  if (B && B.loader) return; // included twice: the first copy owns the widget
  var q = (B && B.q) || [];
  var s = d.currentScript || d.querySelector('script[src*="loader.js"]');
  var base = new URL('.', (s && s.src) || location.href).href;
  var attrs = s ? Object.assign({}, s.dataset) : {};
  var host, root, btn, mod, state = 0, dead = 0, listeners = [];

  function log(m, e) { console.error('[Baton] ' + m, e || ''); }
  function listen(t, type, f) { t.addEventListener(type, f); listeners.push([t, type, f]); }
  // Config the loader itself needs before the wasm: the last init() value, else data-*.
  function cfg(k) {
    var v = attrs[k];
    q.forEach(function (a) { if (a[0] == 'init' && a[1] && a[1][k] != null) v = a[1][k]; });
    return v;
  }

  function queued() {
    q.push(arguments);
    var c = arguments[0];
    if (c == 'open' || c == 'toggle') load();
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
    'font:600 15px/1 var(--baton-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);' +
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
      var st = d.createElement('style');
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
    p.setAttribute('d', 'M4 4h16a2 2 0 012 2v10a2 2 0 01-2 2H9l-5 4v-4a2 2 0 01-2-2V6a2 2 0 012-2zm7 11h2v-2h-2zm1-9a3 3 0 00-3 3h2a1 1 0 112 0c0 1-2 1-2 3h2c0-1.4 2-1.6 2-3a3 3 0 00-3-3z');
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
      mod.boot({ root: root, launcher: btn, config: attrs, queue: q, teardown: teardown });
    }).catch(function (e) {
      state = 0; // the next intent tries again
      link.remove();
      log('could not load the widget from ' + base + ' (see README, "Serving Baton"):', e);
    });
  }

  function teardown() {
    dead = 1;
    listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2]); });
    listeners = [];
    if (host) host.remove();
    host = root = btn = null;
    var stub = function () { (stub.q = stub.q || []).push(arguments); };
    w.Baton = stub; // a later loader can start afresh; calls until then are kept
  }

  if (d.body) mount();
  else listen(d, 'DOMContentLoaded', mount);
})(window, document);
