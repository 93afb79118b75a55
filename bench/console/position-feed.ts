import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSubjects, NursePosition } from '@nursing/contracts';
import { coarseCellOf } from '@nursing/geo';
import { seededRandom } from '../lib/stats.ts';

/** Publishes this often; each tick moves a slice of the fleet so each nurse moves once a second. */
const TICK_MS = 100;
const METRES_PER_DEGREE_LAT = 111_195;

export interface PositionFeed {
  ids: string[];
  /** Positions published so far. */
  readonly published: number;
  stop(): void;
}

/**
 * `count` nurses walking about a `boxKm` square around `centre`, each reporting once a
 * second, published on the position subjects (`loc.<coarse cell>.<origin>`, one batch per
 * cell and tick) as the presence store publishes them after its Redis write. The Redis write itself is
 * skipped: the map does not read it (only a new viewport's snapshot does), and the
 * benchmark measures the browser, not ingestion (bench/ingest measures that).
 */
export function startPositionFeed(deps: { nc: NatsConnection; subjects: NatsSubjects }, options: { count: number; centre: { lat: number; lng: number }; boxKm: number; seed?: number }): PositionFeed {
  const random = seededRandom(options.seed ?? 7);
  const { count, centre } = options;
  const halfLat = (options.boxKm * 500) / METRES_PER_DEGREE_LAT;
  const halfLng = halfLat / Math.cos((centre.lat * Math.PI) / 180);
  const ids = Array.from({ length: count }, (_, i) => `bn-${String(i).padStart(5, '0')}`);
  const lat = new Float64Array(count);
  const lng = new Float64Array(count);
  const heading = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    lat[i] = centre.lat + (random() * 2 - 1) * halfLat;
    lng[i] = centre.lng + (random() * 2 - 1) * halfLng;
    heading[i] = random() * Math.PI * 2;
  }
  const encoder = new TextEncoder();
  const slices = 1000 / TICK_MS;
  let slice = 0;
  let published = 0;

  const timer = setInterval(() => {
    const atMs = Date.now();
    const byCell = new Map<string, NursePosition[]>();
    for (let i = slice; i < count; i += slices) {
      // About 8 m/s (a scooter in town), turning a little each second, kept in the box.
      heading[i]! += (random() - 0.5) * 0.6;
      lat[i]! += (Math.cos(heading[i]!) * 8) / METRES_PER_DEGREE_LAT;
      lng[i]! += (Math.sin(heading[i]!) * 8) / (METRES_PER_DEGREE_LAT * Math.cos((centre.lat * Math.PI) / 180));
      if (Math.abs(lat[i]! - centre.lat) > halfLat || Math.abs(lng[i]! - centre.lng) > halfLng) heading[i]! += Math.PI;
      const p: NursePosition = { nurseId: ids[i]!, lat: lat[i]!, lng: lng[i]!, atMs, accuracyM: 10 };
      const cell = coarseCellOf(p);
      let batch = byCell.get(cell);
      if (!batch) byCell.set(cell, (batch = []));
      batch.push(p);
      published++;
    }
    for (const [cell, batch] of byCell) deps.nc.publish(deps.subjects.locations(cell, 'bench-feed'), encoder.encode(JSON.stringify(batch)));
    slice = (slice + 1) % slices;
  }, TICK_MS);

  return {
    ids,
    get published() {
      return published;
    },
    stop: () => clearInterval(timer),
  };
}
