import type { LatLng, OrderState } from '@nursing/contracts';
import { isWithinMeters } from '@nursing/geo';
import type { ActiveOrder } from './order-location.ts';

/** States in which reaching the patient means "arrived". */
const TRAVELLING: readonly OrderState[] = ['accepted', 'en_route'];
/** States in which she is at (or has been at) the patient's home. */
const AT_HOME: readonly OrderState[] = ['arrived', 'in_service'];

/** The home she is visiting, remembered until she is seen leaving it (it outlives the active order). */
export interface Visit {
  orderId: string;
  location: LatLng;
}

export interface ArrivalDetectorOptions {
  radiusMeters: number;
  /**
   * Farther than this from the home after a visit means she left. Wider than the
   * arrival radius so GPS jitter at the door does not record a departure.
   */
  departureRadiusMeters: number;
  /** Loads the nurse's active order (null: none). Called again after `invalidate()`. */
  load: () => Promise<ActiveOrder | null>;
  /** The visit remembered for her (shared by every gateway instance, as she may reconnect elsewhere). */
  visits: { load: () => Promise<Visit | null>; save: (visit: Visit) => Promise<void>; clear: () => Promise<void> };
  /** Tells dispatch she arrived; a throw lets a later fix try again. */
  reportArrival: (orderId: string, at: LatLng) => Promise<void>;
  /** Tells dispatch she left; a throw lets a later fix try again. */
  reportDeparture: (orderId: string, at: LatLng) => Promise<void>;
}

/**
 * Per nurse socket: notices that she reached the patient of her active order and
 * reports `arrived` to dispatch once per order, so she need not tap a button at the
 * door; then notices when she leaves the home after the visit and reports `departed`
 * once. The active order is cached and reloaded when her inbox says it changed.
 */
export function createArrivalDetector(options: ArrivalDetectorOptions) {
  let cached: Promise<ActiveOrder | null> | undefined;
  let visit: Promise<Visit | null> | undefined;
  // What `cached` and `visit` resolved to, once they did: most fixes come from nurses
  // with neither an order nor a visit, and need no promise at all.
  let settledOrder: { value: ActiveOrder | null } | undefined;
  let settledVisit: { value: Visit | null } | undefined;
  const reported = new Set<string>();

  function loadOrder(): Promise<ActiveOrder | null> {
    const p = options.load();
    cached = p;
    settledOrder = undefined;
    p.then(
      (value) => {
        if (cached === p) settledOrder = { value };
      },
      () => undefined,
    );
    return p;
  }

  function setVisit(p: Promise<Visit | null>, value?: { value: Visit | null }): Promise<Visit | null> {
    visit = p;
    settledVisit = value;
    if (!value) {
      p.then(
        (v) => {
          if (visit === p) settledVisit = { value: v };
        },
        () => undefined,
      );
    }
    return p;
  }

  const currentVisit = (): Promise<Visit | null> => visit ?? setVisit(options.visits.load());

  async function remember(next: Visit): Promise<void> {
    const current = await currentVisit();
    if (current?.orderId === next.orderId) return;
    await options.visits.save(next);
    setVisit(Promise.resolve(next), { value: next });
  }

  async function checkDeparture(fix: LatLng, order: ActiveOrder | null): Promise<void> {
    const current = await currentVisit();
    if (!current) return;
    // Still at home during her visit: nothing to do until she is out of the wider radius.
    if (isWithinMeters(fix, current.location, options.departureRadiusMeters)) return;
    if (order?.orderId === current.orderId && TRAVELLING.includes(order.state)) return;
    await options.reportDeparture(current.orderId, { lat: fix.lat, lng: fix.lng });
    await options.visits.clear();
    setVisit(Promise.resolve(null), { value: null });
  }

  async function check(fix: LatLng): Promise<void> {
    cached ??= loadOrder();
    let order: ActiveOrder | null;
    try {
      order = await cached;
    } catch (err) {
      cached = undefined;
      throw err;
    }
    try {
      await checkDeparture(fix, order);
    } catch (err) {
      visit = undefined;
      settledVisit = undefined;
      throw err;
    }
    if (!order) return;
    if (AT_HOME.includes(order.state)) return remember({ orderId: order.orderId, location: order.location });
    if (reported.has(order.orderId) || !TRAVELLING.includes(order.state)) return;
    if (!isWithinMeters(fix, order.location, options.radiusMeters)) return;
    reported.add(order.orderId);
    try {
      await options.reportArrival(order.orderId, { lat: fix.lat, lng: fix.lng });
      await remember({ orderId: order.orderId, location: order.location });
    } catch (err) {
      reported.delete(order.orderId);
      throw err;
    }
    cached = undefined;
  }

  return {
    /** Her assignment or order state changed (inbox `assigned` / `order.updated`). */
    invalidate(): void {
      cached = undefined;
      settledOrder = undefined;
    },
    /** Undefined when there is nothing to watch for (no active order, no visit): no promise made. */
    onFix(fix: LatLng): Promise<void> | undefined {
      if (settledOrder?.value === null && settledVisit?.value === null) return undefined;
      return check(fix);
    },
  };
}
