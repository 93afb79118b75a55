/**
 * Every metric the services export, named once. Services ask a {@link ServiceMetrics}
 * for one by its key (`metrics.gauge('socketsConnected')`), so a name, its help text
 * and its labels cannot drift between the code that counts and the dashboards that read.
 * Names follow Prometheus conventions: base units (seconds), `_total` on counters.
 * Label values must come from small fixed sets (never ids): each distinct value is a series.
 */
export interface MetricSpec {
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  help: string;
  labelNames: readonly string[];
  /** Histogram bucket upper bounds, in the metric's unit. */
  buckets?: readonly number[];
}

export const METRIC_CATALOG = {
  httpRequestDuration: {
    type: 'histogram',
    name: 'hn_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  socketsConnected: {
    type: 'gauge',
    name: 'hn_ws_sockets_connected',
    help: 'Open WebSockets by kind (nurse, coordinator, security)',
    labelNames: ['kind'],
  },
  positionsIngested: {
    type: 'counter',
    name: 'hn_positions_ingested_total',
    help: 'Nurse positions accepted by the gateway and written to the position shards',
    labelNames: [],
  },
  mapFrames: {
    type: 'counter',
    name: 'hn_map_frames_total',
    help: 'Positions frames sent to live maps: shared (one build for every map with the same view), catchup (a map that had been held back), held (a map skipped because it was slow)',
    labelNames: ['kind'],
  },
  mapFlushDuration: {
    type: 'histogram',
    name: 'hn_map_flush_seconds',
    help: 'Time one map flush took (building and sending every map its positions frame)',
    labelNames: [],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  },
  mapPositionAge: {
    type: 'histogram',
    name: 'hn_map_position_age_seconds',
    help: "How old positions are when the frame carrying them to live maps is built (now minus the fix's own time, so it includes the phone's clock skew); one in four positions is sampled",
    labelNames: [],
    buckets: [0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
  },
  positionsRejected: {
    type: 'counter',
    name: 'hn_positions_rejected_total',
    help: 'Nurse positions refused by the gateway, by reason (invalid, stale, rate_limited, ...)',
    labelNames: ['reason'],
  },
  ordersCreated: {
    type: 'counter',
    name: 'hn_orders_created_total',
    help: 'Orders created, by dispatch mode (push, grab)',
    labelNames: ['mode'],
  },
  offers: {
    type: 'counter',
    name: 'hn_offers_total',
    help: 'Push offers by outcome (sent, accepted, declined, expired)',
    labelNames: ['outcome'],
  },
  grabs: {
    type: 'counter',
    name: 'hn_grabs_total',
    help: 'Grab attempts by outcome (won, taken, refused)',
    labelNames: ['outcome'],
  },
  timeToAccept: {
    type: 'histogram',
    name: 'hn_order_time_to_accept_seconds',
    help: 'From order creation to a nurse accepting or winning it',
    labelNames: ['mode'],
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800],
  },
  alarmsRaised: {
    type: 'counter',
    name: 'hn_alarms_raised_total',
    help: 'Panic and welfare alarms raised, by kind',
    labelNames: ['kind'],
  },
  alarmDeliveryLatency: {
    type: 'histogram',
    name: 'hn_alarm_delivery_seconds',
    help: 'From an alarm being raised to its first delivery to a security desk',
    labelNames: [],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  },
  openAlarms: {
    type: 'gauge',
    name: 'hn_alarms_open',
    help: 'Alarms raised and not yet resolved',
    labelNames: [],
  },
  natsConnectionEvents: {
    type: 'counter',
    name: 'hn_nats_connection_events_total',
    help: 'NATS client connection events (disconnect, reconnect, error, stale_connection, ldm)',
    labelNames: ['event'],
  },
  redisConnectionEvents: {
    type: 'counter',
    name: 'hn_redis_connection_events_total',
    help: 'Redis client connection events (error, node_error, reconnecting, restored)',
    labelNames: ['event'],
  },
} as const satisfies Record<string, MetricSpec>;

type Catalog = typeof METRIC_CATALOG;
export type MetricKey = keyof Catalog;
type KeysOfType<T extends MetricSpec['type']> = { [K in MetricKey]: Catalog[K]['type'] extends T ? K : never }[MetricKey];
export type CounterKey = KeysOfType<'counter'>;
export type GaugeKey = KeysOfType<'gauge'>;
export type HistogramKey = KeysOfType<'histogram'>;
/** The label names of a metric, as a union of string literals. */
export type LabelOf<K extends MetricKey> = Catalog[K]['labelNames'][number];
