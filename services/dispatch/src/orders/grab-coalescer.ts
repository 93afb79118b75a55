/** How many taken orders an instance remembers; older ones are asked of Redis again. */
const REMEMBERED_ORDERS = 10_000;

/**
 * In a grab storm hundreds of requests for one order reach an instance within a few
 * milliseconds. Raced to Redis together, every one of them would be read, claimed,
 * refused and released before hearing ORDER_TAKEN, and the last answers would wait
 * behind thousands of commands. Instead, the first grab of an order on this instance
 * goes ahead alone and the ones arriving meanwhile wait for it. When it wins (or finds
 * the order taken) they are all refused from memory at once; when it fails for a reason
 * of its own (she is busy, or was not offered the order) they go ahead together, as
 * they would have without waiting.
 *
 * Only an optimisation for this instance: Redis still decides between instances,
 * atomically. Remembering is safe because a taken order never opens for grabs again
 * (lifecycle.ts: from accepted it only moves on, or ends).
 */
export function createGrabCoalescer<E>(options: { refusal: (orderId: string) => E; remember?: number }) {
  const remember = options.remember ?? REMEMBERED_ORDERS;
  const taken = new Map<string, { winner: string; refusal?: E }>();
  const leaders = new Map<string, Promise<unknown>>();

  /** The refusal for a nurse grabbing an order known here to be taken by someone else. */
  function refusalFor(orderId: string, nurseId: string): E | undefined {
    const known = taken.get(orderId);
    if (!known || known.winner === nurseId) return undefined;
    // Built once per order and shared: capturing a stack trace for each of a thousand
    // identical refusals costs more than answering them.
    return (known.refusal ??= options.refusal(orderId));
  }

  /** Decides as the order's leader: grabs arriving meanwhile wait for it. */
  function lead<T>(orderId: string, decide: () => Promise<T>): Promise<T> {
    const mine = decide();
    const done = () => {
      if (leaders.get(orderId) === settled) leaders.delete(orderId);
    };
    const settled: Promise<unknown> = mine.then(done, done);
    leaders.set(orderId, settled);
    return mine;
  }

  return {
    /**
     * Runs `decide` (which asks Redis, and calls `taken` when she wins) unless the order is
     * known taken by someone else, in which case the shared refusal is thrown. Waits first
     * for the grab of the same order being decided here, if there is one.
     */
    async grab<T>(orderId: string, nurseId: string, decide: () => Promise<T>): Promise<T> {
      const leader = leaders.get(orderId);
      if (leader) await leader;
      const refusal = refusalFor(orderId, nurseId);
      if (refusal) throw refusal;
      return lead(orderId, decide);
    },

    /** Remembers that `winner` took the order ('' when it closed without one). */
    taken(orderId: string, winner: string): void {
      if (taken.has(orderId)) return;
      taken.set(orderId, { winner });
      // A Map iterates in insertion order: the first key is the oldest.
      if (taken.size > remember) taken.delete(taken.keys().next().value as string);
    },
  };
}

export type GrabCoalescer = ReturnType<typeof createGrabCoalescer>;
