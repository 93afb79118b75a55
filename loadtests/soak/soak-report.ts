import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FlatVerdict, MemorySample } from './memory-trend.ts';

export interface SoakResult {
  startedAt: string;
  minutes: number;
  modules: string[];
  nurses: number;
  offeredPerS: number;
  /** Mean acknowledged updates per second over the run. */
  storedPerS: number;
  errors: Record<string, number>;
  socketsClosed: number;
  verdict: FlatVerdict;
  samples: MemorySample[];
}

const require = createRequire(import.meta.url);

/** Writes `soak.json` and `soak.html` (uPlot inlined: opens offline) into `dir`; returns their paths. */
export function writeSoakReport(dir: string, result: SoakResult): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'soak.json');
  const html = join(dir, 'soak.html');
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  const uplotDir = dirname(require.resolve('uplot'));
  const script = readFileSync(join(uplotDir, 'uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(join(uplotDir, 'uPlot.min.css'), 'utf8');
  const s = result.samples;
  // uPlot draws null as a gap; spanGaps joins the sparse after-GC readings.
  const memory = [s.map((x) => x.t), s.map((x) => x.rssMb), s.map((x) => x.liveRssMb ?? null), s.map((x) => x.liveHeapMb ?? null)];
  const rate = [s.map((x) => x.t), s.map((x) => x.sentPerS), s.map((x) => x.storedPerS)];
  const v = result.verdict;
  const escape = (t: string) => t.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
  writeFileSync(
    html,
    `<!doctype html><html><head><meta charset="utf-8"><title>Soak ${escape(result.startedAt)}</title><style>${css}
body{font:14px system-ui,sans-serif;margin:24px;max-width:980px}.ok{color:#1a7f37}.bad{color:#cf222e}td{padding:2px 12px 2px 0}</style></head><body>
<h1>Soak: ${result.minutes} min, ${escape(result.modules.join(' + '))}</h1>
<p class="${v.status === 'growing' ? 'bad' : 'ok'}"><b>${{ flat: 'Memory flat', growing: 'Memory NOT flat', inconclusive: 'Too short to judge' }[v.status]}</b>: ${escape(v.reason)}</p>
<table>
<tr><td>nurses (sockets)</td><td>${result.nurses}</td></tr>
<tr><td>offered</td><td>${Math.round(result.offeredPerS)} updates/s</td></tr>
<tr><td>stored (acknowledged), mean</td><td>${Math.round(result.storedPerS)} updates/s</td></tr>
<tr><td>errors</td><td>${escape(JSON.stringify(result.errors))}; sockets closed ${result.socketsClosed}</td></tr>
<tr><td>floor slopes (last 2/3, judged)</td><td>RSS ${v.rssFloor.slopeMbPerMin.toFixed(3)}, retained heap ${v.heapFloor.slopeMbPerMin.toFixed(3)} MB/min</td></tr>
<tr><td>plain slopes (every reading)</td><td>RSS ${v.rss.slopeMbPerMin.toFixed(3)}, retained heap ${v.liveHeap.slopeMbPerMin.toFixed(3)} MB/min</td></tr>
</table>
<h2>Memory (MB)</h2><div id="memory"></div>
<h2>Location updates per second</h2><div id="rate"></div>
<script>${script}</script>
<script>
const opts = (title, series) => ({ width: 940, height: 300, title, scales: { x: { time: false } }, axes: [{ label: 'seconds' }, {}], series: [{ label: 's' }, ...series] });
new uPlot(opts('memory', [{ label: 'RSS', stroke: '#8c959f' }, { label: 'RSS after GC', stroke: '#0969da', spanGaps: true, points: { show: true } }, { label: 'retained heap', stroke: '#1a7f37', spanGaps: true, points: { show: true } }]), ${JSON.stringify(memory)}, document.getElementById('memory'));
new uPlot(opts('updates/s', [{ label: 'sent', stroke: '#8c959f' }, { label: 'stored', stroke: '#0969da' }]), ${JSON.stringify(rate)}, document.getElementById('rate'));
</script></body></html>
`,
  );
  return { json, html };
}
