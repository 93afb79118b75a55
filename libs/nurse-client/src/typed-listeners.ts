/** A minimal typed event emitter: `on` returns the function that removes the listener. */
export function createListeners<E extends object>() {
  const byType = new Map<keyof E, Set<(payload: never) => void>>();

  return {
    on<K extends keyof E>(type: K, listener: (payload: E[K]) => void): () => void {
      let set = byType.get(type);
      if (!set) byType.set(type, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit<K extends keyof E>(type: K, payload: E[K]): void {
      const set = byType.get(type);
      if (!set) return;
      for (const listener of [...set]) {
        // A listener's bug must not break the socket's message handling or the other listeners.
        try {
          (listener as (p: E[K]) => void)(payload);
        } catch (err) {
          queueMicrotask(() => {
            throw err;
          });
        }
      }
    },
    clear(): void {
      byType.clear();
    },
  };
}
