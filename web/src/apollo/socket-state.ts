import { createContext, useContext, useSyncExternalStore } from 'react';

/** Where the subscription socket is: pages say whether what they show is live. */
export type SocketState = 'idle' | 'connecting' | 'live' | 'closed';

export interface SocketStateStore {
  get(): SocketState;
  set(state: SocketState): void;
  subscribe(listener: () => void): () => void;
}

export function createSocketStateStore(): SocketStateStore {
  let state: SocketState = 'idle';
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set: (next) => {
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const SocketStateContext = createContext<SocketStateStore>(createSocketStateStore());

/** The current session's socket state; re-renders when it changes. */
export function useSocketState(): SocketState {
  const store = useContext(SocketStateContext);
  return useSyncExternalStore(store.subscribe, store.get);
}
