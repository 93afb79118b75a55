import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { IdParams, NotFoundError, OrderTrack, ErrorReply, type RedisKeys } from '@nursing/contracts';
import { requireInstitutionAccess } from '@nursing/auth';
import { claimsOf } from '@nursing/service-kit';
import type { PresenceStore } from '@nursing/presence';

export interface TrackRouteDeps {
  redis: Redis;
  keys: RedisKeys;
  presence: PresenceStore;
  now: () => number;
}

/**
 * `GET /v1/orders/{id}/track`: the assigned nurse's way to the patient and back, from
 * acceptance to completion (or now), for the order's coordinators and admins. Only
 * as long as the trail's bounded length (TRAIL_LENGTH fixes) reaches back.
 */
export function trackRoute(deps: TrackRouteDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { id: string } }>(
      '/v1/orders/:id/track',
      {
        preHandler: app.auth('coordinator', 'admin'),
        schema: {
          tags: ['orders'],
          summary: "The assigned nurse's trail for an order, as a GeoJSON LineString",
          params: IdParams,
          response: { 200: OrderTrack, 403: ErrorReply, 404: ErrorReply },
        },
      },
      async (request) => {
        const orderId = request.params.id;
        const hash = await deps.redis.hgetall(deps.keys.order(orderId));
        if (!hash['doc']) throw new NotFoundError('order', orderId);
        const doc = JSON.parse(hash['doc']) as { institutionId: string };
        requireInstitutionAccess(claimsOf(request), doc.institutionId);

        const nurseId = hash['assignedNurseId'];
        const acceptedAt = hash['acceptedAt'] ? Date.parse(hash['acceptedAt']) : undefined;
        if (!nurseId || acceptedAt === undefined || Number.isNaN(acceptedAt)) {
          return { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: { orderId, timestamps: [] } };
        }
        const completedAt = hash['completedAt'] ? Date.parse(hash['completedAt']) : NaN;
        const toMs = Number.isNaN(completedAt) ? deps.now() : completedAt;
        const trail = await deps.presence.readTrail(nurseId, acceptedAt, toMs);
        return {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: trail.map((p) => [p.lng, p.lat]) },
          properties: { orderId, nurseId, fromMs: acceptedAt, toMs, timestamps: trail.map((p) => p.atMs) },
        };
      },
    );
  };
}
