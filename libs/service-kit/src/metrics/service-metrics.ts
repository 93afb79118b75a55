import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_CATALOG, type CounterKey, type GaugeKey, type HistogramKey, type LabelOf, type MetricKey } from './metric-catalog.ts';

/**
 * One process's metrics: a prom-client registry of its own (never the global one, so
 * two apps in one process, as in tests, do not share or collide) and typed access to
 * the metrics of {@link METRIC_CATALOG}, created on first use.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  counter<K extends CounterKey>(key: K): Counter<LabelOf<K>>;
  gauge<K extends GaugeKey>(key: K): Gauge<LabelOf<K>>;
  histogram<K extends HistogramKey>(key: K): Histogram<LabelOf<K>>;
}

export interface ServiceMetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag, GC, handles); default true. */
  processMetrics?: boolean;
  /** Labels added to every series, e.g. `{ service: 'dispatch' }`. */
  defaultLabels?: Record<string, string>;
}

export function createServiceMetrics(options: ServiceMetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const created = new Map<MetricKey, Counter | Gauge | Histogram>();

  function getOrCreate(key: MetricKey): Counter | Gauge | Histogram {
    let metric = created.get(key);
    if (metric) return metric;
    const spec = METRIC_CATALOG[key];
    const config = { name: spec.name, help: spec.help, labelNames: [...spec.labelNames], registers: [registry] };
    if (spec.type === 'counter') metric = new Counter(config);
    else if (spec.type === 'gauge') metric = new Gauge(config);
    else metric = new Histogram({ ...config, buckets: [...spec.buckets] });
    created.set(key, metric);
    return metric;
  }

  return {
    registry,
    counter: <K extends CounterKey>(key: K) => getOrCreate(key) as Counter<LabelOf<K>>,
    gauge: <K extends GaugeKey>(key: K) => getOrCreate(key) as Gauge<LabelOf<K>>,
    histogram: <K extends HistogramKey>(key: K) => getOrCreate(key) as Histogram<LabelOf<K>>,
  };
}
