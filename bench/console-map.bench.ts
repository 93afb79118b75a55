import { launchChromium, openConsolePage } from '../services/gateway/test/console/browser.ts';
import { startConsoleStack } from '../services/gateway/test/console/console-stack.ts';
import { deferCleanup } from './lib/cleanup.ts';
import { createLatencyRecorder, summarizePair } from './lib/latency-recorder.ts';
import { byScale } from './lib/scale.ts';
import type { Benchmark, BenchOptions, Figure } from './lib/types.ts';
import { runLeafletBaseline } from './console/leaflet-baseline.ts';
import { startPositionFeed } from './console/position-feed.ts';

/** 30 frames a second: the budget a live map must keep to look smooth. */
const FRAME_BUDGET_MS = 33;
const CENTRE = { lat: 31.2304, lng: 121.4737 };
const INSTITUTION = 'bench-inst';

const SIZES = {
  full: { nurses: 10_000, seconds: 20, warmup: 5 },
  quick: { nurses: 10_000, seconds: 8, warmup: 3 },
  smoke: { nurses: 500, seconds: 2, warmup: 1 },
};

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The coordinator console's live map with N nurses moving (each reporting once a
 * second), in headless Chromium, against the real gateway: positions go out on NATS
 * position subjects, the gateway coalesces them per viewer and streams them to the
 * page's socket, held by the page's live-layer worker, which applies them in batches
 * and draws them into bitmaps the page shows on one canvas. Frame time is measured in
 * the page (requestAnimationFrame intervals on its main thread, the one that runs the
 * map); the worker's time per bitmap is reported beside it.
 * Baseline: the same marker count and update rate with one Leaflet circleMarker per
 * nurse on Leaflet's canvas renderer, fed inside the page.
 */
export const consoleMapBenchmark: Benchmark = {
  name: 'console-map',
  title: 'coordinator map frame time with 10,000 moving nurses (headless Chromium)',
  async run(options: BenchOptions): Promise<Figure[]> {
    const size = byScale(options, SIZES);
    const say = (line: string) => options.progress(`console-map: ${line}`);
    const stack = await startConsoleStack({ MAP_FLUSH_MS: '100', LOG_LEVEL: 'silent' });
    const undo = deferCleanup(() => stack.close());
    const browser = await launchChromium();
    const feed = startPositionFeed({ nc: stack.nc, subjects: stack.deps.subjects }, { count: size.nurses, centre: CENTRE, boxKm: 12 });
    try {
      await stack.call('POST', '/v1/institutions', stack.tokens.admin(), { id: INSTITUTION, name: 'Benchmark centre', kind: 'community_health_centre', location: CENTRE });
      // Profiles so the map shows them as this institution's nurses (ids, not anonymous).
      const pipeline = stack.deps.redis.pipeline();
      for (const id of feed.ids) pipeline.set(stack.deps.keys.nurse(id), JSON.stringify({ id, institutionId: INSTITUTION, name: `Nurse ${id}` }));
      await pipeline.exec();

      say(`${size.nurses} nurses moving; opening the console`);
      const { page } = await openConsolePage(browser, `${stack.baseUrl}/?tiles=none`, stack.tokens.coordinator(INSTITUTION));
      await waitFor(async () => (await page.evaluate(() => globalThis.__consoleStats?.markers ?? 0)) >= size.nurses, 60_000, `${size.nurses} markers on the map`);
      say(`all ${size.nurses} markers shown; warming up ${size.warmup} s, measuring ${size.seconds} s`);
      await page.waitForTimeout(size.warmup * 1000);
      await page.evaluate(() => globalThis.__consoleStats!.reset());
      const publishedBefore = feed.published;
      await page.waitForTimeout(size.seconds * 1000);
      const measured = await page.evaluate(() => {
        const s = globalThis.__consoleStats!;
        return {
          frames: s.frameTimesMs.slice(),
          work: s.workMs.slice(),
          layerDraw: s.layerDrawMs.slice(),
          layerFrames: s.layerFrames,
          updates: s.updatesApplied,
          positionFrames: s.positionFrames,
          markers: s.markers,
        };
      });
      const publishedRate = (feed.published - publishedBefore) / size.seconds;
      await page.context().close();
      feed.stop();

      say('baseline: Leaflet circleMarkers on its canvas renderer');
      const basePage = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      const baseFrames = await runLeafletBaseline(basePage, { markers: size.nurses, seconds: size.seconds, warmupSeconds: size.warmup });
      await basePage.context().close();

      const ours = createLatencyRecorder();
      for (const ms of measured.frames) ours.record(ms);
      const baseline = createLatencyRecorder();
      for (const ms of baseFrames) baseline.record(ms);
      const work = createLatencyRecorder();
      for (const ms of measured.work) work.record(ms);
      const layerDraw = createLatencyRecorder();
      for (const ms of measured.layerDraw) layerDraw.record(ms);
      const p95 = ours.percentileMs(95);
      const baseP95 = baseline.percentileMs(95);
      const updatesPerSecond = measured.updates / size.seconds;
      const checks = {
        allMarkersShown: measured.markers >= size.nurses,
        // The feed really reached the page: at least 90% of one update per nurse per second.
        feedFlowing: updatesPerSecond >= 0.9 * size.nurses,
      };
      const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
      say(`p95 frame ${p95.toFixed(1)} ms (baseline ${baseP95.toFixed(1)} ms), ${Math.round(updatesPerSecond)} updates/s applied`);
      return [
        {
          name: `console-map-${size.nurses >= 1000 ? `${size.nurses / 1000}k` : size.nurses}`,
          value: p95,
          unit: 'ms (p95 frame time)',
          baseline: baseP95,
          baselineName: 'Leaflet circleMarker per nurse, canvas renderer, in-page feed',
          ratio: p95 / baseP95,
          target: FRAME_BUDGET_MS,
          targetKind: 'value',
          better: 'lower',
          pass: p95 <= FRAME_BUDGET_MS && failed.length === 0,
          details: {
            latency: summarizePair(ours, baseline),
            nurses: size.nurses,
            measuredSeconds: size.seconds,
            framesMeasured: measured.frames.length,
            framesPerSecond: measured.frames.length / size.seconds,
            p50FrameMs: ours.percentileMs(50),
            p99FrameMs: ours.percentileMs(99),
            workP95Ms: work.percentileMs(95),
            layerDrawP50Ms: layerDraw.percentileMs(50),
            layerDrawP95Ms: layerDraw.percentileMs(95),
            layerFramesPerSecond: measured.layerFrames / size.seconds,
            updatesAppliedPerSecond: Math.round(updatesPerSecond),
            publishedPerSecond: Math.round(publishedRate),
            socketFramesPerSecond: measured.positionFrames / size.seconds,
            ...(failed.length ? { failedChecks: failed.join(', ') } : {}),
            notes: [
              'Ours: positions published on NATS position subjects, coalesced by the real gateway (MAP_FLUSH_MS 100, the default) and streamed over /ws/coordinator; dispatch and alarms run in the same process, as in npm start.',
              'Frame time: requestAnimationFrame intervals on the main thread of the page, which runs Leaflet, the panels and input, and shows the bitmaps of the live layer. workMs is our frame callback alone.',
              'The socket, JSON parsing, applying positions, drawing and rasterising the dots run in a Web Worker: layerDraw*Ms is its time per bitmap (drawing and rasterising; parsing and applying come on top), layerFramesPerSecond how many bitmaps reached the page.',
              'Baseline is fed in the page without a socket, so it measures rendering only.',
              'Headless Chromium with --disable-gpu: software rasterisation, on the same 2 cores as the servers.',
            ],
          },
        },
      ];
    } finally {
      feed.stop();
      await browser.close();
      await stack.close();
      undo();
    }
  },
};
