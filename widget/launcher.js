// Baton's launcher, imported by loader.js once the page's body exists: the <baton-widget> host
// element and its open shadow root, Baton's stylesheet, the launcher button, and `paint`, the
// one place theme config, language and custom CSS reach the page — before the widget code and,
// called from Rust, after it. Returns what the loader and the widget need.
export default function (L) {
  var w = window, d = document, cfg = L.cfg, attrs = L.attrs, sheet, style, opener;
  var host = d.createElement('baton-widget'), root = host.attachShadow({ mode: 'open' });

  // The theme so far: data-* shorthands, then every init({theme}) and theme() call in order.
  function themed() {
    var t = { accent: attrs.accent, mode: attrs.mode, position: attrs.position, launcher: { label: attrs.launcherLabel } };
    L.q.forEach(function (a) {
      var p = a[0] == 'init' ? a[1] && a[1].theme : a[0] == 'theme' && a[1];
      if (p) for (var k in p) t[k] = NESTED.indexOf(k) >= 0 ? Object.assign({}, t[k], p[k]) : p[k];
    });
    return t;
  }

  // Values go in as --baton-* custom properties of a constructable stylesheet (no inline style,
  // so a strict CSP is fine); a value the browser does not accept for its property is skipped
  // and its key returned, never written.
  // The marked rules below are generated from the core crate (baton_core::theme
  // and baton_core::i18n; `BATON_WRITE_RULES=1 cargo test`), never edited by hand.
  var PAINTED = /*rule:painted*/{ accent: ['color', 'accent'], font: ['font-family', 'font'], radius: ['border-radius', 'radius'], offset: ['bottom', 'offset'], zIndex: ['z-index', 'z-index'] }/*end*/, NESTED = /*rule:nested*/['launcher']/*end*/;
  // Launcher words by language: code -> [word for "Help", 1 when right-to-left].
  var LANGS = /*rule:langs*/{ en: ["Help"], fr: ["Aide"], ar: ["مساعدة", 1] }/*end*/;
  function lang() {
    var c = [cfg('locale')].concat(navigator.languages || []), i, k;
    for (i = 0; i < c.length; i++) if (LANGS[k = String(c[i] || '').split(/[-_]/)[0].toLowerCase()]) return k;
    return 'en';
  }
  var ICONS = { chat: 'M3 4h18v13H8l-5 4z', help: 'M12 2a10 10 0 100 20 10 10 0 000-20zm1 16h-2v-2h2zm2-7.7l-.9.9c-.7.7-1.1 1.3-1.1 2.8h-2v-.5c0-1.1.4-2.1 1.2-2.8l1.2-1.3A2 2 0 1010 8H8a4 4 0 118 0c0 .9-.4 1.7-1 2.3z' };
  function paint(t, css) {
    t = t || {};
    var bad = [], l = t.launcher || {}, v, k, c = '';
    for (k in PAINTED) if ((v = t[k]) != null) {
      if (typeof v == 'number' && k != 'zIndex') v += 'px';
      if (CSS.supports(PAINTED[k][0], v)) c += '--baton-' + PAINTED[k][1] + ':' + v + ';';
      else bad.push(k);
    }
    c = ':host{' + c + '}' + (css || '');
    if (sheet) sheet.replaceSync(c);
    else style.textContent = c;
    host.dataset.position = t.position == 'bottom-left' ? t.position : 'bottom-right';
    host.dataset.mode = t.mode == 'dark' ? t.mode : 'light'; // Rust resolves `auto` (the launcher looks the same)
    host.dataset.launcher = l.hidden ? 'hidden' : 'shown';
    // Rust sends the language it chose; before the wasm, the launcher chooses the same way.
    k = t.lang || lang();
    host.lang = k;
    host.dir = (t.lang ? t.rtl : LANGS[k][1]) ? 'rtl' : 'ltr';
    v = String(l.label || (cfg('strings') || {}).launcher || LANGS[k][0]).slice(0, 40);
    btn.lastChild.textContent = v;
    // The widget keeps the unread count's words on the button (conversations).
    btn.setAttribute('aria-label', v + (btn.dataset.unreadLabel ? ', ' + btn.dataset.unreadLabel : ''));
    v = ICONS[l.icon || 'chat'];
    btn.firstChild.setAttribute('display', v ? 'inline' : 'none');
    btn.firstChild.firstChild.setAttribute('d', v || '');
    opener = t.selector; // a host's own button that opens Baton
    return bad;
  }

  try {
    sheet = new CSSStyleSheet();
    root.adoptedStyleSheets = [sheet]; // CSP-safe: no inline <style> needed
  } catch (e) {
    style = d.createElement('style'); // browsers without constructable stylesheets
    style.nonce = cfg('nonce') || '';
    root.appendChild(style);
  }
  // Styles (launcher and panel) are one file; the launcher shows once they apply.
  var link = d.createElement('link');
  link.rel = 'stylesheet';
  link.href = L.base + 'baton.css';
  link.nonce = cfg('nonce') || '';
  root.insertBefore(link, root.firstChild);
  var btn = d.createElement('button');
  btn.type = 'button';
  btn.className = 'launcher';
  btn.hidden = true;
  var css = new Promise(function (ok) { link.onload = link.onerror = function () { btn.hidden = false; ok(); }; });
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
  L.listen(btn, 'pointerenter', L.load);
  L.listen(btn, 'focus', L.load);
  L.listen(btn, 'click', function () { w.Baton('toggle'); });
  L.listen(d, 'click', function (e) {
    try { if (opener && e.target.closest(opener)) { e.preventDefault(); w.Baton('open'); } } catch (x) {}
  });
  d.body.appendChild(host);
  // A customer with a conversation (a stored session, or an identity token to open one) gets the
  // widget when the browser is idle, so that replies and the unread count show without a click.
  try {
    if (localStorage.getItem('baton.session.v1') || L.q.some(function (a) { return a[0] == 'identify' && a[1] && a[1].token; })) (w.requestIdleCallback || setTimeout)(L.load);
  } catch (e) {}
  var mod;
  return {
    host: host, root: root, btn: btn, paint: paint,
    repaint: function () { paint(themed(), cfg('customCss')); },
    // Fetches the glue JS and the wasm and boots the widget in this shadow root, once the
    // stylesheet applied (the widget reads resolved theme colours at boot). `take` hands over
    // the loader's early events, drop counts and hooks, or nothing when Baton was destroyed.
    widget: function (take) {
      return Promise.all([import(L.base + 'baton.js').then(function (m) {
        mod = m;
        return m.default({ module_or_path: L.base + 'baton_bg.wasm' });
      }), css]).then(function () {
        var h = take();
        if (!h) return;
        w.Baton = function () {
          try { return mod.command(Array.prototype.slice.call(arguments)); } catch (e) { console.error('[Baton] call failed:', e); }
        };
        w.Baton.loader = 1;
        mod.boot({ root: root, launcher: btn, config: attrs, queue: L.q, teardown: h.teardown, paint: paint, events: h.events, dropped: h.dropped, own: h.own });
        h.sink(mod.capture);
      });
    },
  };
}
