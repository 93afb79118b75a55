import type { NurseClient } from '@nursing/nurse-client';
import type { Order, Patient } from '@nursing/contracts';
import { distanceMeters } from '@nursing/geo';
import { completionRecord } from './completion-record.ts';
import { startTrip, WALK_UP_TO_M, type Mover, type TravelMode } from './movement.ts';
import { countRefusal, pause, scaled, until, type NurseWorld } from './nurse-world.ts';
import { between, type Rng } from './rng.ts';

export interface VisitControl {
  orderId: string;
  /** The order was cancelled (or reassigned) under her. */
  cancelled: boolean;
  /** The gateway recorded her arrival by itself. */
  arrivedSeen: boolean;
}

export interface Visitor {
  client: NurseClient;
  mover: Mover;
  mode: TravelMode;
  rng: Rng;
  /** Send a fix now (she is at the door). */
  reportNow(): void;
}

/**
 * One home visit after she got the order: en route, the trip, arrival (usually
 * recorded by the gateway itself), identity check and service for the item's duration
 * (scaled), then completion with consumables and medical-waste disposal.
 * Returns true if the visit was completed.
 */
export async function runVisit(world: NurseWorld, nurse: Visitor, visit: VisitControl, order: Order, patient: Patient): Promise<boolean> {
  const { client, rng } = nurse;
  const step = async (what: 'en_route' | 'arrived' | 'started' | 'completed', extra = {}): Promise<boolean> => {
    if (visit.cancelled || world.stopping()) return false;
    try {
      await client.progress(order.id, what, extra);
      return true;
    } catch (err) {
      return countRefusal(world, `progress.${what}`, err) && what === 'arrived';
    }
  };

  if (!(await step('en_route'))) return false;
  const far = distanceMeters(nurse.mover.at, patient.location) > WALK_UP_TO_M;
  startTrip(nurse.mover, patient.location, far ? 'drive' : nurse.mode === 'drive' ? 'drive' : 'walk', world.options.timeScale, world.options.maxSpeedMps, rng);
  // Her tick moves her along the route; the trip is over when no waypoint is left.
  await until(world, () => nurse.mover.route.length === 0 || visit.cancelled);
  if (visit.cancelled || world.stopping()) return false;
  nurse.reportNow();
  // Give the gateway's arrival detection a moment; tap "arrived" only if it did not.
  await pause(world, 1_500);
  if (!visit.arrivedSeen && !(await step('arrived'))) return false;
  await pause(world, scaled(world, between(rng, 30, 120)));
  if (!(await step('started', { identityConfirmed: true }))) return false;
  const item = world.items.get(order.itemCode);
  await pause(world, scaled(world, (item?.expectedDurationMin ?? 30) * 60 * between(rng, 0.8, 1.2)));
  if (!(await step('completed', { completion: completionRecord(item?.category ?? 'basic', rng) }))) return false;
  world.stats.counters.visitsCompleted++;
  return true;
}
