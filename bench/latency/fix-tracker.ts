import type { LatencyRecorder } from '../lib/latency-recorder.ts';

/**
 * Move-to-map latency of marked nurses, per map. A fix counts as on the map once the
 * map receives a position of that nurse at least as new (maps coalesce: a newer fix
 * replaces older ones still waiting, and the map is then at least that fresh), so a
 * fix's latency = that arrival - the fix's send time. Fixes that never make it by the
 * end are recorded at how long they had been waiting then (a lower bound) and counted,
 * so a map that stops receiving anything shows up as huge latency, not as no samples.
 */
export function createFixTracker(input: { markedIds: readonly string[]; viewers: number; recorder: LatencyRecorder }) {
  const index = new Map(input.markedIds.map((id, i) => [id, i]));
  /** Send times (= the fixes' atMs) of each marked nurse, ascending. */
  const sent: number[][] = input.markedIds.map(() => []);
  /** Per viewer, per marked nurse: how many of her fixes that viewer has seen. */
  const seen: Int32Array[] = Array.from({ length: input.viewers }, () => new Int32Array(input.markedIds.length));
  let active = false;
  let windowStart = 0;
  let delivered = 0;

  return {
    isMarked: (nurseId: string) => index.has(nurseId),
    /** Starts counting fixes sent from now on. */
    start(atMs = Date.now()): void {
      active = true;
      windowStart = atMs;
    },
    stop(): void {
      active = false;
    },
    onSent(nurseId: string, atMs: number): void {
      const i = index.get(nurseId);
      if (i !== undefined && active && atMs >= windowStart) sent[i]!.push(atMs);
    },
    /** A measuring map received nurse `nurseId` at `atMs` (the fix's send time) at `arrivedMs`. */
    onSeen(viewer: number, nurseId: string, atMs: number, arrivedMs: number): void {
      const i = index.get(nurseId);
      if (i === undefined) return;
      const list = sent[i]!;
      const pos = seen[viewer]!;
      let k = pos[i]!;
      while (k < list.length && list[k]! <= atMs) {
        // Filed under the second the fix was sent: the chart shows how latency evolved as load went on.
        input.recorder.record(arrivedMs - list[k]!, list[k]!);
        delivered++;
        k++;
      }
      pos[i] = k;
    },
    /** Records every fix still not on some map as waiting until `endMs`; returns how many there were. */
    finish(endMs: number): { delivered: number; undelivered: number; tracked: number } {
      let undelivered = 0;
      let tracked = 0;
      for (let i = 0; i < sent.length; i++) tracked += sent[i]!.length;
      for (const pos of seen) {
        for (let i = 0; i < sent.length; i++) {
          for (let k = pos[i]!; k < sent[i]!.length; k++) {
            input.recorder.record(endMs - sent[i]![k]!, sent[i]![k]!);
            undelivered++;
          }
        }
      }
      return { delivered, undelivered, tracked };
    },
  };
}

export type FixTracker = ReturnType<typeof createFixTracker>;
