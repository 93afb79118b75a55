/** One reported number: ours against a baseline measured in the same run, and the target. */
export interface Figure {
  name: string;
  /** Our measurement, in `unit`. NaN (null in results.json) when skipped. */
  value: number;
  unit: string;
  /** The same measurement for the thing we compare against, in `unit`. */
  baseline: number;
  baselineName: string;
  /** Always value / baseline; whether more is better says `better`. */
  ratio: number;
  /**
   * What we promised: a ratio (`targetKind` 'ratio', the default: "20x the baseline") or a
   * bound on the value itself ('value': "p99 <= 250 ms"). `pass` also folds in
   * correctness checks kept in `details`.
   */
  target: number;
  pass: boolean;
  /** 'higher' (the default: throughput) or 'lower' (latency, memory). */
  better?: 'higher' | 'lower';
  targetKind?: 'ratio' | 'value';
  /** Why the figure was not measured ("alarms service not available"); it then neither passes nor fails. */
  skipped?: string;
  details: FigureDetails;
}

/** Free-form context for a figure; `latency` and `series` are drawn as charts in the report. */
export interface FigureDetails {
  latency?: { ours: LatencySummary; baseline: LatencySummary };
  series?: TimeSeries[];
  notes?: string[];
  [key: string]: unknown;
}

export interface LatencySummary {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Log-spaced bins shared by both sides of a figure, so their bars line up. */
  histogram: { edgesMs: number[]; counts: number[] };
}

/** Something measured once a second (throughput, p99), drawn as lines over time. */
export interface TimeSeries {
  title: string;
  unit: string;
  /** Seconds since the phase began, one per point (or what `xLabel` says). */
  t: number[];
  /** The x axis when it is not seconds. */
  xLabel?: string;
  lines: { name: string; values: (number | null)[] }[];
}

export interface BenchOptions {
  quick: boolean;
  /** One line per phase, on stderr; results go to files, not to the progress stream. */
  progress: (line: string) => void;
}

export interface Benchmark {
  name: string;
  title: string;
  run(options: BenchOptions): Promise<Figure[]>;
}
