// baton-widget: Baton for apps that install from npm (docs/embedding.md, "Embed"). Importing this module
// touches no browser global, so it is safe in server rendering; every call is a no-op outside
// the browser. In the browser a call goes to `window.Baton`, the same command queue the
// script-tag snippet installs: calls made before the loader has run are kept and replayed in
// order, each once; `load()` adds the loader from a base URL.
import { VERSION, INTEGRITY } from './meta.js';

export { VERSION as version };

const browser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

/** The jsDelivr folder of this version's widget files (`…/baton-widget@0.1.0/files/`). */
export function cdnBase(version = VERSION) {
  return `https://cdn.jsdelivr.net/npm/baton-widget@${version}/files/`;
}

// Installs what the inline snippet does, once: the queue, and the early-error recorder the
// loader adopts (errors before the loader are often the reason the user asks for help).
function queue() {
  const w = window;
  if (typeof w.Baton === 'function') return w.Baton;
  const B = (w.Baton = function () { (B.q = B.q || []).push(arguments); });
  B.e = [];
  B.n = 0;
  B.h = (e) => {
    if (B.e.length < 30) B.e.push(e.type === 'error' ? ['err', Date.now(), e.message, e.filename, e.lineno, e.colno, e.error] : ['rej', Date.now(), e.reason]);
    else B.n++;
  };
  w.addEventListener('error', B.h);
  w.addEventListener('unhandledrejection', B.h);
  return B;
}

/** Sends one command to Baton (queued until the loader runs); `undefined` outside the browser. */
export function baton(command, ...args) {
  if (!browser()) return undefined;
  return queue()(command, ...args);
}

let loading = null;
let script = null;

/**
 * Adds Baton's loader to the page (once; later calls return the same promise and only merge
 * `config`). Resolves `true` once the loader has run, `false` when it could not be fetched or
 * outside the browser. The widget itself still loads on the user's intent (or when idle with
 * `preload: "idle"`); the `ready` event says when.
 */
export function load(options = {}) {
  if (!browser()) return Promise.resolve(false);
  const { base = cdnBase(), config, integrity = true, attributes = {} } = options;
  queue();
  if (config) baton('init', config);
  if (loading) return loading;
  if (window.Baton && window.Baton.loader) return (loading = Promise.resolve(true)); // a script tag got there first
  const root = new URL(base, document.baseURI).href.replace(/\/?$/, '/');
  script = document.createElement('script');
  script.async = true;
  script.src = root + 'loader.js';
  script.dataset.batonNpm = VERSION;
  for (const [k, v] of Object.entries(attributes)) script.dataset[k] = String(v);
  // Subresource Integrity for the loader when it comes from this version's CDN folder, or the
  // hash the caller passes for their own copy.
  const sri = typeof integrity === 'string' ? integrity : integrity && root === cdnBase() ? INTEGRITY['loader.js'] : '';
  if (sri) {
    script.integrity = sri;
    script.crossOrigin = 'anonymous';
  }
  loading = new Promise((resolve) => {
    script.onload = () => resolve(true);
    script.onerror = () => {
      console.error(`[Baton] could not load ${script.src}`);
      loading = null;
      resolve(false);
    };
  });
  document.head.appendChild(script);
  return loading;
}

/** Start or merge config (`Baton('init', config)`). */
export const init = (config) => baton('init', config);
/** Merge into `theme` and apply it live. */
export const theme = (value) => baton('theme', value);
/** Show the panel (loads the widget if needed). */
export const open = () => baton('open');
/** Hide the panel. */
export const close = () => baton('close');
/** Show or hide the panel. */
export const toggle = () => baton('toggle');
/** Open the form to reach a person, prefilled. */
export const escalate = (options) => baton('escalate', options);
/** Who the user is. */
export const identify = (user) => baton('identify', user);
/** Custom attributes, merged; `null` removes a key. */
export const context = (attributes) => baton('context', attributes);
/** On logout: forget identity, custom attributes and history; end the conversation session and remove what was stored for the user. */
export const reset = () => baton('reset');
/** With `consent: 'required'`: allow (`true`) or withdraw (`false`) storage and the relay session. */
export const consent = (given) => baton('consent', given);
/** The number of agent replies not yet read, once the widget has loaded; `0` outside the browser. */
export const unread = () => new Promise((resolve) => {
  if (!browser()) return resolve(0);
  baton('unread', (e) => resolve(e.count));
});

/** Listen to an event; returns the function that stops listening. */
export function on(event, callback) {
  baton('on', event, callback);
  return () => off(event, callback);
}
/** Stop listening (without `callback`, every listener of `event`). */
export function off(event, callback) {
  return callback ? baton('off', event, callback) : baton('off', event);
}

/** The current redacted context; `null` if the widget cannot load (or outside the browser). */
export function snapshot() {
  if (!browser()) return Promise.resolve(null);
  return new Promise((resolve) => baton('snapshot', resolve));
}

/** Remove every element, listener and patch Baton added; a later `load()` starts afresh. */
export function destroy() {
  baton('destroy');
  script?.remove();
  script = null;
  loading = null;
}
