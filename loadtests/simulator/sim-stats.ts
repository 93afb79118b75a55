/** Counters the progress line and the final summary read. */
export function createSimStats() {
  const errorsByKind = new Map<string, number>();
  const sampleMessage = new Map<string, string>();
  const counters = {
    nursesConnected: 0,
    nursesOnline: 0,
    locationsSent: 0,
    mapPositionsReceived: 0,
    ordersCreated: 0,
    offersReceived: 0,
    broadcastsReceived: 0,
    accepts: 0,
    declines: 0,
    grabsWon: 0,
    grabsLost: 0,
    visitsCompleted: 0,
    drillAlarms: 0,
    /** Fixes sent while the alarms service asked her app to report faster (an open alarm of hers). */
    followedFixes: 0,
    /** Drills acknowledged and resolved by the simulated security officer. */
    drillsResolved: 0,
    reconnections: 0,
    /** Expected races: an offer that expired first, a grab another nurse won, an arrival the gateway had already recorded. */
    races: 0,
  };
  /** Orders by what happened to them, from the coordinators' order events (the server's view). */
  const orders = { offered: new Set<string>(), accepted: new Set<string>(), completed: new Set<string>(), unassigned: new Set<string>() };
  return {
    counters,
    orders,
    /** Counts an error of a kind; the first message of each kind is kept for the summary. */
    error(kind: string, message?: string): void {
      errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
      if (message && !sampleMessage.has(kind)) sampleMessage.set(kind, message.slice(0, 160));
    },
    sample: (kind: string): string | undefined => sampleMessage.get(kind),
    get errors(): number {
      let n = 0;
      for (const v of errorsByKind.values()) n += v;
      return n;
    },
    errorKinds(): [string, number][] {
      return [...errorsByKind.entries()].sort((a, b) => b[1] - a[1]);
    },
  };
}

export type SimStats = ReturnType<typeof createSimStats>;
