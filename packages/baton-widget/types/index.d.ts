// Types of baton-widget's ES module: every call, config key, theme key, event and payload
// (docs/config-and-api.md, "Config", "JS API", "Theme"). The config, theme, bundle, context and KB
// article types are generated from the JSON Schemas in widget/ (scripts/build.mjs), which are
// generated from the Rust side; tests fail when either drifts.
import type { Bundle, Context } from './schema.js';
import type { KbArticle } from './kb.js';
import type { BatonConfig, BatonHandoffConfig, BatonLauncher, BatonTheme, CssLength } from './config.js';

export type { Bundle as HandoffBundle, Context as BatonContext, KbArticle };
export type { BatonConfig, BatonHandoffConfig, BatonLauncher, BatonTheme, CssLength };

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
