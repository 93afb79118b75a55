/**
 * The report's browser-side code (plain JavaScript, inlined after uPlot): reads the
 * figures from the JSON block and draws, per figure, the latency histogram of ours vs
 * the baseline and every time series. Containers are `<div data-chart="…">`; a figure
 * without data simply gets no chart.
 */
export const CHARTS_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('bench-data').textContent);
  var OURS = '#2b7bba', BASE = '#d9822b';
  var PALETTE = ['#2b7bba', '#d9822b', '#3a9d5d', '#9b59b6', '#c0392b', '#7f8c8d'];
  var width = function (el) { return Math.min(860, el.clientWidth || 860); };
  var fmt = function (v) {
    if (v == null || !isFinite(v)) return '';
    var a = Math.abs(v);
    return a >= 100 ? Math.round(v).toLocaleString('en-US') : a >= 1 ? v.toFixed(1) : v.toPrecision(2);
  };

  function histogram(el, fig) {
    var lat = fig.details.latency;
    var edges = lat.ours.histogram.edgesMs;
    var bins = lat.ours.histogram.counts.length;
    if (!bins) return;
    var share = function (s) { return s.histogram.counts.map(function (c) { return s.samples ? (100 * c) / s.samples : 0; }); };
    var xs = [];
    for (var i = 0; i < bins; i++) xs.push(i);
    var label = function (i) {
      var lo = edges[i], hi = edges[i + 1];
      return lo == null ? '' : fmt(lo) + '–' + fmt(hi) + ' ms';
    };
    var bars = uPlot.paths.bars;
    new uPlot({
      title: 'Latency distribution (share of samples per bin; bins are log-spaced)',
      width: width(el), height: 260,
      scales: { x: { time: false, range: [-0.5, bins - 0.5] } },
      axes: [
        { values: function (u, splits) { return splits.map(function (s) { return Number.isInteger(s) ? fmt(edges[s]) : ''; }); }, label: 'ms (lower edge of bin)' },
        { values: function (u, splits) { return splits.map(function (s) { return s + '%'; }); } },
      ],
      series: [
        { label: 'bin', value: function (u, i) { return i == null ? '' : label(i); } },
        { label: 'ours', stroke: OURS, fill: OURS + 'cc', paths: bars({ size: [0.45, 40], align: -1 }), points: { show: false }, value: function (u, v) { return v == null ? '' : v.toFixed(2) + '%'; } },
        { label: fig.baselineName, stroke: BASE, fill: BASE + 'cc', paths: bars({ size: [0.45, 40], align: 1 }), points: { show: false }, value: function (u, v) { return v == null ? '' : v.toFixed(2) + '%'; } },
      ],
    }, [xs, share(lat.ours), share(lat.baseline)], el);
  }

  function series(el, s) {
    new uPlot({
      title: s.title,
      width: width(el), height: 240,
      scales: { x: { time: false } },
      axes: [{ label: s.xLabel || 'seconds', values: function (u, splits) { return splits.map(fmt); } }, { label: s.unit, size: 70, values: function (u, splits) { return splits.map(fmt); } }],
      series: [{ label: s.xLabel ? 'x' : 's' }].concat(s.lines.map(function (l, i) {
        var dashed = /target|baseline/i.test(l.name);
        return { label: l.name, stroke: PALETTE[i % PALETTE.length], width: dashed ? 1 : 2, dash: dashed ? [6, 4] : undefined, spanGaps: true, value: function (u, v) { return fmt(v); } };
      })),
    }, [s.t].concat(s.lines.map(function (l) { return l.values; })), el);
  }

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var parts = el.getAttribute('data-chart').split(':');
    var fig = data.figures[Number(parts[1])];
    if (!fig) return;
    if (parts[0] === 'histogram') histogram(el, fig);
    else series(el, fig.details.series[Number(parts[2])]);
  });
})();
`;
