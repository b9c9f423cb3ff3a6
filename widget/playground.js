// Theme playground: every control change calls Baton('theme' | 'init') live and rewrites the
// config a frontend developer copies. Token colours go on the baton-widget element through a
// stylesheet of this page (tokens are host CSS, not config).
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var tokens = new CSSStyleSheet();
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([tokens]);
  var DEFAULTS = { offset: 20, radius: 14, zIndex: 2147483000 };

  function luminance(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function ratio(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }

  function read() {
    var theme = { accent: $('accent-text').value.trim() || '#4f46e5', mode: $('mode').value, position: $('position').value };
    ['offset', 'radius', 'zIndex'].forEach(function (k) {
      var v = Number($(k).value);
      if (v !== DEFAULTS[k] && $(k).value !== '') theme[k] = v;
    });
    if ($('font').value) theme.font = $('font').value;
    var launcher = {};
    if ($('label').value.trim()) launcher.label = $('label').value.trim();
    if ($('icon').value !== 'chat') launcher.icon = $('icon').value;
    if ($('hidden').checked) launcher.hidden = true;
    if (Object.keys(launcher).length) theme.launcher = launcher;
    if ($('selector').value.trim()) theme.selector = $('selector').value.trim();
    var config = { theme: theme };
    if ($('locale').value) config.locale = $('locale').value;
    if ($('customCss').value.trim()) config.customCss = $('customCss').value.trim();
    var css = [];
    if ($('bg-on').checked) css.push('--baton-bg: ' + $('bg').value + ';');
    if ($('fg-on').checked) css.push('--baton-fg: ' + $('fg').value + ';');
    return { config: config, css: css };
  }

  function apply() {
    var r = read(), t = r.config.theme, l = t.launcher || {};
    // Keys at their defaults are sent as null (back to default), so that switching back works.
    var or = function (k) { return k in t ? t[k] : null; };
    var live = { accent: t.accent, mode: t.mode, position: t.position, offset: or('offset'), radius: or('radius'),
      zIndex: or('zIndex'), font: or('font'), selector: or('selector'),
      launcher: { label: l.label || null, icon: l.icon || null, hidden: !!l.hidden } };
    Baton('theme', live);
    Baton('init', { locale: $('locale').value || navigator.language, customCss: r.config.customCss || '' });
    tokens.replaceSync(r.css.length ? 'baton-widget { ' + r.css.join(' ') + ' }' : '');
    $('offset-out').textContent = $('offset').value;
    $('radius-out').textContent = $('radius').value;
    var text = "Baton('init', " + JSON.stringify(r.config, null, 2) + ');';
    if (r.css.length) text += '\n\n/* in your CSS */\nbaton-widget { ' + r.css.join(' ') + ' }';
    $('out').textContent = text;
    if ($('bg-on').checked && $('fg-on').checked) {
      var c = ratio($('bg').value, $('fg').value);
      $('contrast').textContent = 'Text on background: ' + c.toFixed(1) + ':1' + (c < 4.5 ? ' — below WCAG AA (4.5:1)' : ' — passes WCAG AA');
    } else {
      $('contrast').textContent = 'Text on the accent is chosen for you (WCAG AA).';
    }
  }

  $('accent').addEventListener('input', function () { $('accent-text').value = $('accent').value; apply(); });
  $('accent-text').addEventListener('change', function () {
    if (/^#[0-9a-f]{6}$/i.test($('accent-text').value)) $('accent').value = $('accent-text').value;
    apply();
  });
  $('controls').addEventListener('input', apply);
  $('controls').addEventListener('change', apply);
  $('controls').addEventListener('submit', function (e) { e.preventDefault(); });
  $('copy').addEventListener('click', function () {
    var done = function (ok) { $('copied').textContent = ok ? 'Copied.' : 'Select the text above and copy it.'; };
    if (navigator.clipboard) navigator.clipboard.writeText($('out').textContent).then(function () { done(true); }, function () { done(false); });
    else done(false);
  });
  $('open').addEventListener('click', function () { Baton('open'); });
  apply();
})();
