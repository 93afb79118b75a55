import type { Figure, LatencySummary } from './types.ts';

// Hand-written SVG, no scripts or CDN: the report must open offline from a CI artifact.
const OURS = '#2b7bba';
const BASE = '#d9822b';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const fmt = (v: number) =>
  !Number.isFinite(v) ? String(v) : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);

/** Ours vs baseline as two horizontal bars on a linear axis: the gap is the message. */
function barsSvg(f: Figure): string {
  const width = 640;
  // Wide enough for the baseline's full name at 12 px.
  const labelW = 290;
  const barMax = width - labelW - 110;
  const max = Math.max(f.value, f.baseline, Number.MIN_VALUE);
  const rows = [
    { name: 'ours', value: f.value, color: OURS },
    { name: f.baselineName, value: f.baseline, color: BASE },
  ];
  const body = rows
    .map((r, i) => {
      const y = 10 + i * 34;
      // At least 2 px, so a 100x slower baseline is still visibly there.
      const w = Math.max(2, (r.value / max) * barMax);
      return `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(r.name)}</text>
<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="24" fill="${r.color}"/>
<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 17}">${esc(fmt(r.value))} ${esc(f.unit)}</text>`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${width} 80" width="${width}" height="80" role="img" aria-label="${esc(f.name)} throughput">${body}</svg>`;
}

/** Per-query latency of both sides over shared log-spaced bins, as grouped bars. */
function histogramSvg(ours: LatencySummary, base: LatencySummary, baselineName: string): string {
  const edges = ours.histogram.edgesMs;
  const bins = ours.histogram.counts.length;
  if (bins === 0) return '';
  const width = 640;
  const height = 220;
  const left = 50;
  const bottom = 40;
  const plotW = width - left - 10;
  const plotH = height - bottom - 30;
  // Shares, not counts: the two sides ran different numbers of queries.
  const share = (s: LatencySummary, i: number) => (s.samples ? (s.histogram.counts[i] ?? 0) / s.samples : 0);
  let maxShare = 0;
  for (let i = 0; i < bins; i++) maxShare = Math.max(maxShare, share(ours, i), share(base, i));
  const binW = plotW / bins;
  const parts: string[] = [];
  for (let i = 0; i < bins; i++) {
    const x = left + i * binW;
    for (const [k, s, color] of [[0, ours, OURS], [1, base, BASE]] as const) {
      const h = maxShare ? (share(s, i) / maxShare) * plotH : 0;
      if (h > 0) {
        parts.push(`<rect x="${(x + 1 + (k * (binW - 2)) / 2).toFixed(1)}" y="${(30 + plotH - h).toFixed(1)}" width="${((binW - 2) / 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${esc(fmt(edges[i]!))}-${esc(fmt(edges[i + 1]!))} ms: ${(100 * share(s, i)).toFixed(1)}%</title></rect>`);
      }
    }
  }
  // Label whole decades only (every 8th edge with the default bins), the rest is clutter.
  for (let i = 0; i < edges.length; i++) {
    const exponent = Math.log10(edges[i]!);
    if (Math.abs(exponent - Math.round(exponent)) > 1e-9) continue;
    const x = left + i * binW;
    parts.push(`<line x1="${x}" y1="${30 + plotH}" x2="${x}" y2="${35 + plotH}" stroke="#333"/><text x="${x}" y="${50 + plotH}" text-anchor="middle">${Number(edges[i]!.toPrecision(1))} ms</text>`);
  }
  parts.push(`<line x1="${left}" y1="${30 + plotH}" x2="${left + plotW}" y2="${30 + plotH}" stroke="#333"/>`);
  parts.push(`<text x="${left}" y="16"><tspan fill="${OURS}">■ ours</tspan>  <tspan fill="${BASE}">■ ${esc(baselineName)}</tspan>  (share of queries per bin, log-spaced latency)</text>`);
  const marker = (v: number, color: string, name: string) => {
    const i = edges.findIndex((e, j) => j < bins && v < edges[j + 1]! && v >= e);
    if (i < 0) return '';
    const x = left + (i + 0.5) * binW;
    return `<line x1="${x}" y1="26" x2="${x}" y2="${30 + plotH}" stroke="${color}" stroke-dasharray="3 3"/><text x="${x + 3}" y="${38}" fill="${color}">${name}</text>`;
  };
  parts.push(marker(ours.p99Ms, OURS, 'p99'), marker(base.p99Ms, BASE, 'p99'));
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="latency histogram">${parts.join('\n')}</svg>`;
}

function latencyTable(ours: LatencySummary, base: LatencySummary, baselineName: string): string {
  const cols: (keyof LatencySummary)[] = ['samples', 'meanMs', 'p50Ms', 'p90Ms', 'p99Ms', 'maxMs'];
  const row = (name: string, s: LatencySummary) => `<tr><th>${esc(name)}</th>${cols.map((c) => `<td>${esc(fmt(s[c] as number))}</td>`).join('')}</tr>`;
  return `<table><tr><th></th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${row('ours', ours)}${row(baselineName, base)}</table>`;
}

function section(f: Figure): string {
  const { latency, notes, ...rest } = f.details;
  const checks = Object.entries(rest)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'number' ? fmt(v) : String(v))}</td></tr>`)
    .join('');
  return `<section>
<h2>${esc(f.name)} <span class="${f.pass ? 'pass' : 'fail'}">${f.pass ? 'PASS' : 'FAIL'}</span></h2>
<p class="big">${esc(fmt(f.ratio))}x <small>faster than ${esc(f.baselineName)} (target ${esc(fmt(f.target))}x)</small></p>
${barsSvg(f)}
${latency ? `<h3>Per-query latency</h3>${histogramSvg(latency.ours, latency.baseline, f.baselineName)}${latencyTable(latency.ours, latency.baseline, f.baselineName)}` : ''}
${notes?.length ? `<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<table class="kv">${checks}</table>
<details><summary>all details (JSON)</summary><pre>${esc(JSON.stringify(f.details, null, 2))}</pre></details>
</section>`;
}

export function renderReport(figures: readonly Figure[], meta: { generatedAt: string; mode: string; node: string; header: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmarks</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:720px;color:#222}
svg{font:12px system-ui,sans-serif;display:block;margin:.5em 0}
section{border-top:1px solid #ccc;padding:.5em 0 1em}
.pass{background:#2e7d32;color:#fff;padding:0 .4em;border-radius:3px;font-size:.7em}
.fail{background:#c62828;color:#fff;padding:0 .4em;border-radius:3px;font-size:.7em}
.big{font-size:1.6em;margin:.2em 0}.big small{font-size:.5em;color:#555}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}
.kv th{text-align:left;font-weight:normal;color:#555}pre{font-size:11px;background:#f6f6f6;padding:.5em;overflow:auto}
</style></head><body>
<h1>Benchmarks</h1>
<p>${esc(meta.mode)} run, ${esc(meta.generatedAt)}, Node ${esc(meta.node)}. ${esc(meta.header)}</p>
${figures.map(section).join('\n')}
</body></html>
`;
}
