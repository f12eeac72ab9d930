import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { endSession } from '../auth/session';
import { createTandemClient, type LiveStatus, LiveStatusStore, type TandemClient } from './client';

const pendingDispose = new WeakMap<TandemClient, ReturnType<typeof setTimeout>>();

const LiveStatusContext = createContext<LiveStatusStore>(new LiveStatusStore());

export function useLiveStatus(): LiveStatus {
  const store = useContext(LiveStatusContext);
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/**
 * One urql client per signed-in identity: signing in or out (or as someone
 * else) drops the cache and the subscription socket of the previous one. A
 * renewed token is not a new identity: the client reads the token at request
 * time, so a renewal keeps its cache and its socket.
 */
export function GraphQLProvider({ identity, getToken, children }: { identity: string | null; getToken: () => string | null; children: ReactNode }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new client for a new identity only; getToken is read at request time
  const tandem = useMemo(() => createTandemClient({ getToken, onUnauthenticated: endSession }), [identity]);
  useEffect(() => {
    // Deferred dispose: StrictMode (dev) unmounts and remounts effects once;
    // only a client that stays unmounted gets its socket closed.
    const pending = pendingDispose.get(tandem);
    if (pending) clearTimeout(pending);
    pendingDispose.delete(tandem);
    return () => {
      pendingDispose.set(
        tandem,
        setTimeout(() => {
          pendingDispose.delete(tandem);
          tandem.dispose();
        }, 0),
      );
    };
  }, [tandem]);

  return (
    <Provider value={tandem.client}>
      <LiveStatusContext.Provider value={tandem.live}>{children}</LiveStatusContext.Provider>
    </Provider>
  );
}
