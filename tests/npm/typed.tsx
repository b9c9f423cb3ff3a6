// Compiled with `tsc --strict` against the packed package: every call, config and theme key,
// event and payload, the bundle and the context are typed.
import { load, on, baton, snapshot, type HandoffBundle, type BatonContext, type BatonConfig, type KbArticle } from 'baton-widget';
import { BatonProvider, useBaton, useBatonEvent } from 'baton-widget/react';
import { BatonPlugin, useBaton as useVueBaton } from 'baton-widget/vue';
import { createApp } from 'vue';

const article: KbArticle = { id: 'update-card', title: 'Update your card', routes: ['/billing/*'], flow: [{ text: 'Open Billing', check: { kind: 'route', pattern: '/billing' } }] };
const config: BatonConfig = {
  title: 'Help',
  kb: [article],
  meaning: '/kb.meaning.json',
  preload: 'idle',
  theme: { accent: '#0f766e', mode: 'auto', position: 'bottom-left', offset: 24, radius: '8px', launcher: { icon: 'chat', label: 'Support' }, selector: '#help' },
  handoff: { endpoint: 'https://relay.example/v1/handoffs', email: 'help@example.com', format: 'zendesk' },
};
void load({ base: '/baton/', config, attributes: { position: 'bottom-left' } });
const stop: () => void = on('ready', (e) => console.log(e.version.toUpperCase()));
stop();
on('handoff', async (bundle: HandoffBundle) => `ticket for ${bundle.reference}: ${bundle.summary} (${bundle.routes.length} routes, ${bundle.errors[0]?.message ?? 'no error'})`);
on('handoff-failed', (e) => console.log(e.reference, e.reason));
on('self-service-resolved', (e) => console.log(e.searches + 1));
baton('identify', { id: 'u-1', email: 'ada@example.com', signature: 'abc' });
baton('context', { plan: 'growth', seats: 4, owner: null });
snapshot().then((c: BatonContext | null) => c?.routes.map((r) => r.path));

export function Help() {
  const { ready, open, escalate, on: listen } = useBaton();
  useBatonEvent('answer-feedback', (e) => console.log(e.id, e.helpful ? 'yes' : 'no'));
  listen('article-viewed', (e) => console.log(e.title));
  return <button disabled={!ready} onClick={() => (ready ? open() : escalate({ description: 'It broke' }))}>Help</button>;
}
export const Root = () => <BatonProvider config={config}><Help /></BatonProvider>;
createApp({}).use(BatonPlugin, { config });
export function useVue() {
  const { ready, toggle } = useVueBaton();
  if (ready.value) toggle();
}
