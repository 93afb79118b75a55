import { CHARTS_SCRIPT } from './report/charts-script.ts';
import { safeInline, uplotAssets } from './report/uplot-assets.ts';
import type { Figure, LatencySummary } from './types.ts';

// One self-contained file: uPlot and the data are inlined, nothing is fetched, so the
// report opens offline from a CI artifact. Without JavaScript the tables and the SVG
// bars still say everything; the charts are the part worth looking at.
const OURS = '#2b7bba';
const BASE = '#d9822b';

export interface ReportMeta {
  generatedAt: string;
  mode: string;
  node: string;
  header: string;
  machine?: { cpu: string; cores: number; kernel: string; loadAverageStart: number[]; loadAverageEnd: number[] };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const fmt = (v: number) =>
  !Number.isFinite(v)
    ? String(v)
    : Math.abs(v) >= 100 || Number.isInteger(v)
      ? Math.round(v).toLocaleString('en-US')
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toPrecision(3);

/** "≤ 250 ms (p99)", "≥ 50,000 updates/s", "≥ 20x baseline". */
export function targetText(f: Figure): string {
  const op = f.better === 'lower' ? '≤' : '≥';
  return f.targetKind === 'value' ? `${op} ${fmt(f.target)} ${f.unit}` : `${op} ${fmt(f.target)}x baseline`;
}

/** PASS, FAIL or SKIPPED. */
export function verdict(f: Figure): 'PASS' | 'FAIL' | 'SKIPPED' {
  return f.skipped ? 'SKIPPED' : f.pass ? 'PASS' : 'FAIL';
}

function badge(f: Figure): string {
  const v = verdict(f);
  return `<span class="badge ${v.toLowerCase()}">${v}</span>`;
}

/** How ours compares, in words that do not need the reader to know which way is better. */
function comparison(f: Figure): string {
  if (!Number.isFinite(f.ratio)) return '';
  if (f.better === 'lower') return f.ratio >= 1 ? `${fmt(f.ratio)}x the baseline's` : `${fmt(1 / f.ratio)}x lower than the baseline`;
  return f.ratio >= 1 ? `${fmt(f.ratio)}x the baseline` : `${fmt(f.ratio * 100)}% of the baseline`;
}

/** Ours vs baseline as two horizontal bars on a linear axis: the gap is the message. */
function barsSvg(f: Figure): string {
  const width = 640;
  const labelW = 290;
  const barMax = width - labelW - 200;
  const max = Math.max(f.value, f.baseline, Number.MIN_VALUE);
  const rows = [
    { name: 'ours', value: f.value, color: OURS },
    { name: f.baselineName, value: f.baseline, color: BASE },
  ];
  const body = rows
    .map((r, i) => {
      const y = 10 + i * 34;
      // At least 2 px, so a 100x smaller bar is still visibly there.
      const w = Math.max(2, (r.value / max) * barMax);
      return `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(r.name)}</text>
<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="24" fill="${r.color}"/>
<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 17}">${esc(fmt(r.value))} ${esc(f.unit)}</text>`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${width} 80" width="${width}" height="80" role="img" aria-label="${esc(f.name)}: ours vs baseline">${body}</svg>`;
}

function latencyTable(ours: LatencySummary, base: LatencySummary, baselineName: string): string {
  const cols: [keyof LatencySummary, string][] = [['samples', 'samples'], ['meanMs', 'mean ms'], ['p50Ms', 'p50 ms'], ['p90Ms', 'p90 ms'], ['p99Ms', 'p99 ms'], ['maxMs', 'max ms']];
  const row = (name: string, s: LatencySummary) => `<tr><th>${esc(name)}</th>${cols.map(([c]) => `<td>${esc(fmt(s[c] as number))}</td>`).join('')}</tr>`;
  return `<table><tr><th></th>${cols.map(([, t]) => `<th>${esc(t)}</th>`).join('')}</tr>${row('ours', ours)}${row(baselineName, base)}</table>`;
}

function summaryTable(figures: readonly Figure[]): string {
  const rows = figures
    .map(
      (f, i) => `<tr><th><a href="#fig-${i}">${esc(f.name)}</a></th><td>${f.skipped ? '—' : `${esc(fmt(f.value))}`}</td><td>${f.skipped ? '—' : esc(fmt(f.baseline))}</td><td class="unit">${esc(f.unit)}</td><td>${f.skipped ? '—' : `${esc(fmt(f.ratio))}x`}</td><td class="unit">${esc(targetText(f))}</td><td>${badge(f)}</td></tr>`,
    )
    .join('\n');
  return `<table class="summary"><tr><th>figure</th><th>ours</th><th>baseline</th><th class="unit">unit</th><th>ratio</th><th class="unit">target</th><th>result</th></tr>${rows}</table>`;
}

function section(f: Figure, index: number): string {
  const { latency, notes, series, ...rest } = f.details;
  const facts = Object.entries(rest)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || v === null)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmt(v) : String(v))}</td></tr>`)
    .join('');
  const headline = f.skipped
    ? `<p class="big">not measured <small>${esc(f.skipped)}</small></p>`
    : `<p class="big">${esc(fmt(f.value))} <small>${esc(f.unit)} · ${esc(comparison(f))} · target ${esc(targetText(f))}</small></p>`;
  const failed = typeof rest['failedChecks'] === 'string' ? `<p class="why">Failed checks: ${esc(rest['failedChecks'])}</p>` : '';
  return `<section id="fig-${index}">
<h2>${esc(f.name)} ${badge(f)}</h2>
${headline}${failed}
${f.skipped ? '' : barsSvg(f)}
${latency ? `<div class="chart" data-chart="histogram:${index}"></div>${latencyTable(latency.ours, latency.baseline, f.baselineName)}` : ''}
${(series ?? []).map((_, s) => `<div class="chart" data-chart="series:${index}:${s}"></div>`).join('\n')}
${notes?.length ? `<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${facts ? `<table class="kv">${facts}</table>` : ''}
<details><summary>all details (JSON)</summary><pre>${esc(JSON.stringify(f.details, null, 2))}</pre></details>
</section>`;
}

function machineLine(meta: ReportMeta): string {
  const m = meta.machine;
  if (!m) return '';
  const busy = (m.loadAverageStart[0] ?? 0) > m.cores * 0.5;
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  return `<p>${esc(m.cpu)}, ${m.cores} cores, ${esc(m.kernel)}. Load average (1/5/15 min) at start ${esc(load(m.loadAverageStart))}, at end ${esc(load(m.loadAverageEnd))}.${busy ? ' <strong>The machine was busy with other work when the run started: every figure is a floor.</strong>' : ''}</p>`;
}

export function renderReport(figures: readonly Figure[], meta: ReportMeta): string {
  const { js, css } = uplotAssets();
  // Figures without the JSON-only parts the charts do not need (keeps the page small).
  const data = { figures: figures.map((f) => ({ name: f.name, baselineName: f.baselineName, details: { latency: f.details.latency, series: f.details.series } })) };
  const counts = { pass: figures.filter((f) => verdict(f) === 'PASS').length, fail: figures.filter((f) => verdict(f) === 'FAIL').length, skipped: figures.filter((f) => verdict(f) === 'SKIPPED').length };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Benchmarks</title>
<style>${safeInline(css)}</style>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:900px;padding:0 1em;color:#222}
svg{font:12px system-ui,sans-serif;display:block;margin:.5em 0;max-width:100%;height:auto}
section{border-top:1px solid #ccc;padding:.5em 0 1.5em}
.badge{color:#fff;padding:0 .45em;border-radius:3px;font-size:.75em;vertical-align:middle}
.pass{background:#2e7d32}.fail{background:#c62828}.skipped{background:#78909c}
.big{font-size:1.8em;margin:.2em 0}.big small{font-size:.45em;color:#555}
.why{color:#c62828}
table{border-collapse:collapse;margin:.6em 0}td,th{padding:3px 9px;text-align:right;border-bottom:1px solid #eee}
.summary th:first-child,.summary .unit{text-align:left}.summary{font-size:1.05em}
.kv th{text-align:left;font-weight:normal;color:#555}.kv td{text-align:left}
.chart{margin:1em 0}
pre{font-size:11px;background:#f6f6f6;padding:.5em;overflow:auto}
</style></head><body>
<h1>Benchmarks</h1>
<p>${esc(meta.mode)} run, ${esc(meta.generatedAt)}, Node ${esc(meta.node)}. ${esc(meta.header)}</p>
${machineLine(meta)}
<p class="big">${counts.pass} passed <small>${counts.fail} failed, ${counts.skipped} skipped</small></p>
${summaryTable(figures)}
${figures.map(section).join('\n')}
<script type="application/json" id="bench-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${safeInline(js)}</script>
<script>${CHARTS_SCRIPT}</script>
</body></html>
`;
}
