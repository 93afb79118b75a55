import type { LatLng } from '@nursing/contracts';
import type { GatewayContext } from '../gateway-context.ts';
import { createArrivalDetector } from './arrival-detector.ts';
import { loadActiveOrder } from './order-location.ts';
import { visitMemory } from './visit-memory.ts';

/**
 * A nurse's arrival detector wired to Redis and dispatch. Built at her first fix rather
 * than when her socket opens: with tens of thousands of sockets per instance, closures
 * that an idle socket never uses are memory for nothing.
 */
export function createNurseArrival(ctx: GatewayContext, nurseId: string) {
  const { dispatch, subjects, log, config, redis, keys } = ctx;
  const report = (step: 'arrived' | 'departed') => async (orderId: string, position: LatLng) => {
    const reply = await dispatch.request(subjects.dispatchProgress, { nurseId, orderId, step, position });
    // A refusal (already arrived, cancelled) is final; only an unreachable dispatch is retried.
    if (!reply.ok) log.info({ nurseId, orderId, step, code: reply.error.code }, 'visit step not recorded by dispatch');
  };
  return createArrivalDetector({
    radiusMeters: config.ARRIVAL_RADIUS_M,
    departureRadiusMeters: Math.max(config.DEPARTURE_RADIUS_M, config.ARRIVAL_RADIUS_M),
    load: () => loadActiveOrder(redis, keys, nurseId),
    visits: visitMemory(redis, keys, nurseId),
    reportArrival: report('arrived'),
    reportDeparture: report('departed'),
  });
}

export type NurseArrival = ReturnType<typeof createNurseArrival>;
