/** Subscribes to a backend event stream for the life of a component. */
import { useEffect } from 'react';

/** `subscribe` resolves to the unsubscribe (as `api.*.onEvent` do); it runs once per mount. */
export function useBackendEvent<E>(subscribe: (cb: (e: E) => void) => Promise<() => void>, onEvent: (e: E) => void, deps: unknown[]) {
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void subscribe(onEvent).then((unlisten) => (gone ? unlisten() : (stop = unlisten)));
    return () => {
      gone = true;
      stop?.();
    };
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
}
