import type { App, Ref } from 'vue';
import type { BatonCalls, BatonProviderOptions } from './api.js';

/** `app.use(BatonPlugin, { config, base })`. */
export declare const BatonPlugin: { install(app: App, options?: BatonProviderOptions): void };
/** In `setup`: Baton's calls, a `ready` ref, and listeners removed on unmount. */
export declare function useBaton(): BatonCalls & { ready: Ref<boolean> };
