// React bindings: <BatonProvider config> loads Baton once and tracks `ready`; useBaton() gives
// the calls, and listeners added through it are removed when the component unmounts. Plain
// createElement (no JSX), so the package needs no build step. Route changes (React Router,
// Next.js) go through history.pushState / popstate, which the loader already records.
import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState } from 'react';
import * as core from './index.js';
import { release, trackedCalls } from './calls.js';

const Ready = createContext(null);

/** Loads Baton with `config` (merged again when it changes) and provides `ready` below it. */
export function BatonProvider({ config, base, integrity, attributes, children }) {
  const [ready, setReady] = useState(false);
  const json = JSON.stringify(config ?? null);
  // The config Baton has last been given (null until the first load): a later, different one
  // is merged; the same one is not sent again.
  const sent = useRef(null);
  useEffect(() => {
    const stop = core.on('ready', () => setReady(true));
    core.load({ base, config, integrity, attributes });
    sent.current = json;
    return stop;
    // base/integrity/attributes only matter for the first load; config is merged below
  }, []);
  useEffect(() => {
    if (sent.current === null || sent.current === json) return;
    sent.current = json;
    if (config) core.init(config);
  }, [json]);
  return createElement(Ready.Provider, { value: ready }, children);
}

/** Baton's calls, `ready`, and `on`/`off` whose listeners end with the calling component. */
export function useBaton() {
  const provided = useContext(Ready);
  const [readyHere, setReadyHere] = useState(false);
  const mine = useRef(new Set());
  useEffect(() => {
    // Without a provider, the hook tracks `ready` itself.
    const stop = provided === null ? core.on('ready', () => setReadyHere(true)) : undefined;
    const listeners = mine.current;
    return () => {
      stop?.();
      release(listeners);
    };
  }, []);
  const ready = provided ?? readyHere;
  return useMemo(() => ({ ready, ...trackedCalls(mine.current) }), [ready]);
}

/** Calls `handler` on `event` while the component is mounted (the latest handler each time). */
export function useBatonEvent(event, handler) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => core.on(event, (payload) => latest.current(payload)), [event]);
}
