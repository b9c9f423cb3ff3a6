// What useBaton() gives in React and in Vue: the calls, with `on`/`off` recorded in `mine` (a
// Set) so that the component can remove its own listeners when it unmounts (`release`).
import * as core from './index.js';

export function trackedCalls(mine) {
  return {
    open: core.open,
    close: core.close,
    toggle: core.toggle,
    escalate: core.escalate,
    identify: core.identify,
    context: core.context,
    reset: core.reset,
    consent: core.consent,
    unread: core.unread,
    theme: core.theme,
    snapshot: core.snapshot,
    destroy: core.destroy,
    on(event, callback) {
      const entry = [event, callback];
      mine.add(entry);
      core.on(event, callback);
      return () => {
        mine.delete(entry);
        core.off(event, callback);
      };
    },
    off(event, callback) {
      for (const entry of mine) if (entry[0] === event && (!callback || entry[1] === callback)) mine.delete(entry);
      core.off(event, callback);
    },
  };
}

/** Removes every listener recorded in `mine`. */
export function release(mine) {
  for (const [event, callback] of mine) core.off(event, callback);
  mine.clear();
}
