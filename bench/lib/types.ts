/** One reported number: ours against a baseline, with the target the ratio must reach. */
export interface Figure {
  name: string;
  /** Our measurement, in `unit`. */
  value: number;
  unit: string;
  /** The same measurement for the thing we compare against, in `unit`. */
  baseline: number;
  baselineName: string;
  /** value / baseline (higher is better for every figure so far). */
  ratio: number;
  /** The ratio we promised; `pass` also folds in correctness checks kept in `details`. */
  target: number;
  pass: boolean;
  details: FigureDetails;
}

/** Free-form context for a figure; `latency` is drawn as a histogram in the report. */
export interface FigureDetails {
  latency?: { ours: LatencySummary; baseline: LatencySummary };
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
