import { summarizePair, type LatencyRecorder } from './latency-recorder.ts';
import type { Figure, FigureDetails } from './types.ts';

/**
 * A latency figure: our p99 against the baseline's p99 from the same run, passing when
 * our p99 is within `targetMs` and every extra condition (`checks`) holds. Failed
 * checks are named in details.failedChecks so the report says why.
 */
export function latencyFigure(input: {
  name: string;
  ours: LatencyRecorder;
  baseline: LatencyRecorder;
  baselineName: string;
  targetMs: number;
  checks?: Record<string, boolean>;
  details: FigureDetails;
}): Figure {
  const value = input.ours.percentileMs(99);
  const baseline = input.baseline.percentileMs(99);
  const failedChecks = Object.entries(input.checks ?? {})
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  return {
    name: input.name,
    value,
    unit: 'ms (p99)',
    baseline,
    baselineName: input.baselineName,
    ratio: value / baseline,
    target: input.targetMs,
    targetKind: 'value',
    better: 'lower',
    pass: value <= input.targetMs && failedChecks.length === 0,
    details: { ...input.details, ...(failedChecks.length ? { failedChecks: failedChecks.join(', ') } : {}), latency: summarizePair(input.ours, input.baseline) },
  };
}

/** A figure that could not be measured, with the reason; it neither passes nor fails. */
export function skippedFigure(f: Pick<Figure, 'name' | 'unit' | 'baselineName' | 'target' | 'better'>, reason: string, details: FigureDetails = {}): Figure {
  return { ...f, value: NaN, baseline: NaN, ratio: NaN, targetKind: 'value', pass: false, skipped: reason, details: { ...details, notes: [`skipped: ${reason}`, ...(details.notes ?? [])] } };
}

/** Did `f` meet its target (ignoring correctness checks)? */
export function meetsTarget(f: Figure): boolean {
  const measured = f.targetKind === 'value' ? f.value : f.ratio;
  return f.better === 'lower' ? measured <= f.target : measured >= f.target;
}
