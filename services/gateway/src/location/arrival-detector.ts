import type { LatLng, OrderState } from '@nursing/contracts';
import { isWithinMeters } from '@nursing/geo';
import type { ActiveOrder } from './order-location.ts';

/** States in which reaching the patient means "arrived". */
const TRAVELLING: readonly OrderState[] = ['accepted', 'en_route'];

export interface ArrivalDetectorOptions {
  radiusMeters: number;
  /** Loads the nurse's active order (null: none). Called again after `invalidate()`. */
  load: () => Promise<ActiveOrder | null>;
  /** Tells dispatch she arrived; a throw lets a later fix try again. */
  reportArrival: (orderId: string, at: LatLng) => Promise<void>;
}

/**
 * Per nurse socket: notices that she reached the patient of her active order and
 * reports `arrived` to dispatch once per order, so she need not tap a button at the
 * door. The active order is cached and reloaded when her inbox says it changed.
 */
export function createArrivalDetector(options: ArrivalDetectorOptions) {
  let cached: Promise<ActiveOrder | null> | undefined;
  const reported = new Set<string>();

  return {
    /** Her assignment or order state changed (inbox `assigned` / `order.updated`). */
    invalidate(): void {
      cached = undefined;
    },
    async onFix(fix: LatLng): Promise<void> {
      cached ??= options.load();
      let order: ActiveOrder | null;
      try {
        order = await cached;
      } catch (err) {
        cached = undefined;
        throw err;
      }
      if (!order || reported.has(order.orderId) || !TRAVELLING.includes(order.state)) return;
      if (!isWithinMeters(fix, order.location, options.radiusMeters)) return;
      reported.add(order.orderId);
      try {
        await options.reportArrival(order.orderId, { lat: fix.lat, lng: fix.lng });
      } catch (err) {
        reported.delete(order.orderId);
        throw err;
      }
      cached = undefined;
    },
  };
}
