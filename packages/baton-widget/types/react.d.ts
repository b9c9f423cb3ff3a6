import type { ReactNode } from 'react';
import type { BatonEvent, BatonEvents } from './index.js';
import type { BatonCalls, BatonProviderOptions } from './api.js';

export interface BatonProviderProps extends BatonProviderOptions {
  children?: ReactNode;
}
/** Loads Baton once with `config` (merged again when it changes) and provides `ready`. */
export declare function BatonProvider(props: BatonProviderProps): ReactNode;
/** Baton's calls and `ready` (true once the widget code has loaded and mounted). */
export declare function useBaton(): BatonCalls & { ready: boolean };
/** Calls `handler` on `event` while the component is mounted. */
export declare function useBatonEvent<E extends BatonEvent>(event: E, handler: (payload: BatonEvents[E]) => void): void;
