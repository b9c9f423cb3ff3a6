// A Vue app as a team would write it: Vue Router for pages, Baton through the npm package's plugin.
import { createApp, defineComponent, h, onMounted, ref } from 'vue';
import { createRouter, createWebHistory, RouterLink, RouterView } from 'vue-router';
import { BatonPlugin, useBaton } from 'baton-widget/vue';

window.__opens = 0;

const OpenCounter = defineComponent({
  setup() {
    const baton = useBaton();
    onMounted(() => baton.on('open', () => window.__opens++));
    return () => h('p', { id: 'counter' }, 'counting opens');
  },
});

const App = defineComponent({
  setup() {
    const { ready, open } = useBaton();
    const counting = ref(true);
    return () => h('div', [
      h(RouterLink, { to: '/billing', id: 'to-billing' }, () => 'Billing'),
      h('button', { id: 'open', onClick: () => open() }, 'Get help'),
      h('button', { id: 'toggle-counter', onClick: () => (counting.value = !counting.value) }, 'toggle counter'),
      h('output', { id: 'ready' }, String(ready.value)),
      counting.value ? h(OpenCounter) : null,
      h(RouterView),
    ]);
  },
});

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: { render: () => h('h1', 'Home') } },
    { path: '/billing', component: { render: () => h('h1', 'Billing') } },
  ],
});
createApp(App).use(router).use(BatonPlugin, { base: '/baton/', config: { kb: '/demo-kb.json' } }).mount('#root');
