// Types of baton-widget's ES module: every call, config key, theme key, event and payload
// (docs/config-and-api.md, "Config", "JS API", "Theme"). The bundle, context and KB article types are generated
// from the JSON Schemas in widget/ (scripts/build.mjs); a test fails when they drift.
import type { Bundle, Context } from './schema.js';
import type { KbArticle } from './kb.js';

export type { Bundle as HandoffBundle, Context as BatonContext, KbArticle };

/** A CSS length: a number of pixels, or any CSS length string. */
export type CssLength = number | string;

/** The `theme` config (docs/theming.md, "Theme"). */
export interface BatonTheme {
  /** Any CSS colour; text on it is picked for contrast. */
  accent?: string;
  /** `"light"` (default), `"dark"`, or `"auto"` (follows the system). */
  mode?: 'light' | 'dark' | 'auto';
  /** Default `"bottom-right"`. */
  position?: 'bottom-right' | 'bottom-left';
  /** Distance from the viewport edges. */
  offset?: CssLength;
  /** Stacking order (default 2147483000). */
  zIndex?: number;
  /** Font stack of every text in the widget. */
  font?: string;
  /** Panel corners. */
  radius?: CssLength;
  launcher?: {
    icon?: 'chat' | 'help' | 'none';
    label?: string;
    hidden?: boolean;
  };
  /** Clicking any element matching this CSS selector opens Baton. */
  selector?: string;
}

/** Where handoffs go (docs/handoff.md, "Reaching a person"). */
export interface BatonHandoffConfig {
  /** Baton POSTs each handoff here (e.g. baton-relay's `/v1/handoffs`). */
  endpoint?: string;
  /** Support address for the `mailto:` fallback. */
  email?: string;
  /** Body format POSTed to `endpoint`. */
  format?: 'baton' | 'zendesk' | 'chatwoot';
}

/** `Baton('init', config)` (docs/config-and-api.md, "Config"); later calls merge key by key. */
export interface BatonConfig {
  /** Heading of the panel (≤ 80 characters). */
  title?: string;
  theme?: BatonTheme;
  /** CSS appended inside the shadow root after Baton's own styles. */
  customCss?: string;
  /** CSP nonce for the stylesheet link. */
  nonce?: string;
  /** BCP 47 tag, e.g. `"fr-CA"`; default: the browser's languages. */
  locale?: string;
  /** Replace single texts by key (docs/theming.md, "Languages"). */
  strings?: Record<string, string>;
  /** When the widget code is fetched: on intent (default) or when the browser is idle. */
  preload?: 'intent' | 'idle';
  /** The app's version, reported in the context's environment. */
  appVersion?: string;
  /** The knowledge base: a URL, or the articles themselves. */
  kb?: string | KbArticle[];
  /** The KB's meaning table made by `baton-kb index`. */
  meaning?: string;
  /** The relay's `POST /v1/encode`: search queries are also embedded there and re-ranked. */
  encoder?: string;
  handoff?: BatonHandoffConfig;
  /** Flat form of `handoff.endpoint`. */
  endpoint?: string;
  /** The baton-relay the conversations live on; default: the relay `handoff.endpoint` names. */
  relay?: string;
  /** `"required"`: nothing stored and no relay session before `consent(true)` or the first click on the launcher. */
  consent?: 'required' | 'implied';
  /** The scorecard's KPI events to the relay (`POST /v1/events`): on with a relay; `false` turns them off; `{ queries: true }` adds the (redacted) search text, for content gaps. */
  analytics?: false | { queries?: boolean };
}

/** `Baton('identify', user)`: a `token` is verified by the relay (its claims only); other fields are shown as claimed. */
export interface BatonUser {
  /** The identity token your server signs (JWT, HS256 with BATON_IDENTITY_SECRET; docs/relay.md, "Identity"). */
  token?: string;
  id?: string;
  email?: string;
  name?: string;
  account?: string;
  /** The older id signature (HMAC-SHA256 of the id): verifies the id alone; use `token`. */
  signature?: string;
}

/** Custom attributes for `context`: `null` removes a key. */
export type BatonAttributes = Record<string, unknown>;

/** What a `handoff` listener returns: a ticket id or URL to show the user (or a promise of it). */
export type HandoffResult = string | void | undefined | Promise<string | void | undefined>;

/** Every event and its payload (docs/config-and-api.md, "JS API"). */
export interface BatonEvents {
  ready: { version: string };
  open: undefined;
  close: undefined;
  'article-viewed': { id: string; title: string };
  'answer-feedback': { id: string; helpful: boolean };
  'self-service-resolved': { id: string; title: string; searches: number };
  escalated: Bundle;
  handoff: Bundle;
  'handoff-delivered': { reference: string; ticket: string };
  'handoff-failed': { reference: string; reason: string };
  unread: { count: number };
}

export type BatonEvent = keyof BatonEvents;

/** A listener of `E`; a `handoff` listener delivers the bundle and may return the ticket. */
export type BatonListener<E extends BatonEvent> = E extends 'handoff' ? (bundle: Bundle) => HandoffResult : (payload: BatonEvents[E]) => void;

/** The command function, as `window.Baton` too. */
export interface BatonCommand {
  (command: 'init', config: BatonConfig): void;
  (command: 'theme', theme: BatonTheme): void;
  (command: 'open' | 'close' | 'toggle' | 'reset' | 'destroy'): void;
  <E extends BatonEvent>(command: 'on', event: E, callback: BatonListener<E>): void;
  <E extends BatonEvent>(command: 'off', event: E, callback?: BatonListener<E>): void;
  (command: 'identify', user: BatonUser): void;
  (command: 'context', attributes: BatonAttributes): void;
  (command: 'snapshot', callback: (context: Context | null) => void): Context | undefined;
  (command: 'escalate', options?: { description?: string }): void;
  (command: 'consent', given: boolean): void;
  (command: 'unread', callback: (unread: { count: number }) => void): { count: number } | undefined;
}

export interface LoadOptions {
  /** Folder holding loader.js and the other widget files; default: this version's jsDelivr folder ({@link cdnBase}). */
  base?: string;
  /** Config for `init` (merged with any given before). */
  config?: BatonConfig;
  /** SRI for loader.js: `true` (default) uses the package's hash when `base` is its CDN folder; a string is your own `sha384-…`; `false` none. */
  integrity?: boolean | string;
  /** `data-*` attributes for the loader's script tag, camelCase (`{ position: 'bottom-left' }`). */
  attributes?: Record<string, string | number | boolean>;
}

/** This package's version (also the widget's). */
export declare const version: string;
/** The jsDelivr folder of a version's widget files (default: this one). */
export declare function cdnBase(version?: string): string;
/** Sends one command (queued until the loader runs); `undefined` outside the browser. */
export declare const baton: BatonCommand;
/** Adds the loader to the page once; resolves `true` once it ran, `false` if it could not load or outside the browser. */
export declare function load(options?: LoadOptions): Promise<boolean>;
export declare function init(config: BatonConfig): void;
export declare function theme(theme: BatonTheme): void;
export declare function open(): void;
export declare function close(): void;
export declare function toggle(): void;
export declare function escalate(options?: { description?: string }): void;
export declare function identify(user: BatonUser): void;
export declare function context(attributes: BatonAttributes): void;
export declare function reset(): void;
/** With `consent: 'required'`: allow (`true`) or withdraw (`false`) storage and the relay session. */
export declare function consent(given: boolean): void;
/** The number of agent replies not yet read (0 outside the browser). */
export declare function unread(): Promise<number>;
/** Listens; returns the function that stops listening. */
export declare function on<E extends BatonEvent>(event: E, callback: BatonListener<E>): () => void;
export declare function off<E extends BatonEvent>(event: E, callback?: BatonListener<E>): void;
/** The current redacted context; `null` if the widget cannot load or outside the browser. */
export declare function snapshot(): Promise<Context | null>;
export declare function destroy(): void;

declare global {
  interface Window {
    Baton?: BatonCommand & { q?: IArguments[]; loader?: 1 };
  }
}
