// The surface useBaton() returns, in React and in Vue (docs/embedding.md, "Embed").
import type { BatonAttributes, BatonConfig, BatonContext, BatonEvent, BatonListener, BatonTheme, BatonUser } from './index.js';

export interface BatonCalls {
  open(): void;
  close(): void;
  toggle(): void;
  escalate(options?: { description?: string }): void;
  identify(user: BatonUser): void;
  context(attributes: BatonAttributes): void;
  reset(): void;
  consent(given: boolean): void;
  unread(): Promise<number>;
  theme(theme: BatonTheme): void;
  snapshot(): Promise<BatonContext | null>;
  destroy(): void;
  /** Listens until the component unmounts (or the returned function is called). */
  on<E extends BatonEvent>(event: E, callback: BatonListener<E>): () => void;
  off<E extends BatonEvent>(event: E, callback?: BatonListener<E>): void;
}

export interface BatonProviderOptions {
  config?: BatonConfig;
  base?: string;
  integrity?: boolean | string;
  attributes?: Record<string, string | number | boolean>;
}
