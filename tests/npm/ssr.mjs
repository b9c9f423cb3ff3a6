// Server-side rendering with the package: importing it and rendering with it must not throw,
// and every call is a no-op without a browser.
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createSSRApp, h } from 'vue';
import { renderToString as vueToString } from 'vue/server-renderer';
import * as baton from 'baton-widget';
import { BatonProvider, useBaton } from 'baton-widget/react';
import { BatonPlugin, useBaton as useVueBaton } from 'baton-widget/vue';

assert.equal(typeof window, 'undefined');
assert.equal(await baton.load({ config: { title: 'x' } }), false);
assert.equal(baton.open(), undefined);
assert.equal(await baton.snapshot(), null);
baton.on('ready', () => {})();
function Page() {
  const { ready } = useBaton();
  return createElement('p', null, `ready: ${ready}`);
}
assert.equal(renderToString(createElement(BatonProvider, { config: { title: 'x' } }, createElement(Page))), '<p>ready: false</p>');
const app = createSSRApp({ setup: () => { const { ready } = useVueBaton(); return () => h('p', `ready: ${ready.value}`); } });
app.use(BatonPlugin, { config: { title: 'x' } });
assert.equal(await vueToString(app), '<p>ready: false</p>');
console.log('ssr ok');
