/**
 * Frame timing measured in the page, for people (the status bar) and for the browser
 * tests and the benchmark (`window.__consoleStats`). A frame's time is the interval
 * between consecutive requestAnimationFrame callbacks on the page's main thread: it
 * includes everything that thread did in between (Leaflet, panels, showing the live
 * layer's bitmaps, rasterising and committing the page), which is what a coordinator
 * perceives as smoothness. `workMs` is the part spent in our frame callback.
 *
 * On the coordinator page the live layer is drawn in a worker; `layerDrawMs` is its
 * time per bitmap (drawing and rasterising) and `layerFrames` counts
 * the bitmaps the page received, so the work moved off the main thread stays visible.
 */
export interface ConsoleStats {
  frames: number;
  frameTimesMs: number[];
  workMs: number[];
  layerFrames: number;
  layerDrawMs: number[];
  markers: number;
  orders: number;
  updatesApplied: number;
  positionFrames: number;
  soundPlaying: boolean;
  socket: string;
  reset(): void;
}

const KEEP = 3600;

declare global {
  interface Window {
    __consoleStats?: ConsoleStats;
  }
}

export function createFrameStats(): ConsoleStats {
  const stats: ConsoleStats = {
    frames: 0,
    frameTimesMs: [],
    workMs: [],
    layerFrames: 0,
    layerDrawMs: [],
    markers: 0,
    orders: 0,
    updatesApplied: 0,
    positionFrames: 0,
    soundPlaying: false,
    socket: 'connecting',
    reset() {
      stats.frames = 0;
      stats.frameTimesMs = [];
      stats.workMs = [];
      stats.layerFrames = 0;
      stats.layerDrawMs = [];
      stats.updatesApplied = 0;
      stats.positionFrames = 0;
    },
  };
  window.__consoleStats = stats;
  return stats;
}

export function recordFrame(stats: ConsoleStats, frameMs: number | undefined, workMs: number): void {
  stats.frames++;
  if (frameMs !== undefined) {
    stats.frameTimesMs.push(frameMs);
    if (stats.frameTimesMs.length > KEEP) stats.frameTimesMs.splice(0, stats.frameTimesMs.length - KEEP);
  }
  stats.workMs.push(workMs);
  if (stats.workMs.length > KEEP) stats.workMs.splice(0, stats.workMs.length - KEEP);
}

export function recordLayerFrame(stats: ConsoleStats, drawMs: number): void {
  stats.layerFrames++;
  stats.layerDrawMs.push(drawMs);
  if (stats.layerDrawMs.length > KEEP) stats.layerDrawMs.splice(0, stats.layerDrawMs.length - KEEP);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
