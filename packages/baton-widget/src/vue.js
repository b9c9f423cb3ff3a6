// Vue bindings: app.use(BatonPlugin, {config}) loads Baton once; useBaton() (in setup) gives
// the calls and a `ready` ref, and removes its listeners when the component unmounts. Route
// changes (Vue Router) go through history.pushState / popstate, which the loader records.
import { getCurrentInstance, inject, onUnmounted, ref } from 'vue';
import * as core from './index.js';
import { release, trackedCalls } from './calls.js';

const READY = Symbol('baton.ready');

/** `app.use(BatonPlugin, { config, base, integrity, attributes })`. */
export const BatonPlugin = {
  install(app, options = {}) {
    const ready = ref(false);
    app.provide(READY, ready);
    app.config.globalProperties.$baton = core;
    if (typeof window === 'undefined') return;
    const stop = core.on('ready', () => (ready.value = true));
    core.load(options);
    app.onUnmount?.(stop);
  },
};

/** Baton's calls, a `ready` ref, and `on`/`off` whose listeners end with the component. */
export function useBaton() {
  const ready = inject(READY, null) ?? ref(false);
  const mine = new Set();
  if (getCurrentInstance()) onUnmounted(() => release(mine));
  return { ready, ...trackedCalls(mine) };
}
