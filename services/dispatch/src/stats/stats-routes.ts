import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ErrorReply, Id, Timestamp, ValidationError, type Order } from '@nursing/contracts';
import { claimsOf } from '@nursing/service-kit';
import { requireInstitutionAccess } from '@nursing/auth';
import type { OrderStore } from '../orders/order-store.ts';
import { computeOrderStats } from './order-stats.ts';

const StatsQuery = Type.Object({ institutionId: Type.Optional(Id), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) });
const StatsReply = Type.Object({
  institutionId: Id,
  from: Timestamp,
  to: Timestamp,
  orders: Type.Integer(),
  completed: Type.Integer(),
  cancelled: Type.Integer(),
  unassigned: Type.Integer(),
  visitsPerNurse: Type.Record(Type.String(), Type.Integer()),
  timeToAcceptS: Type.Object({ p50: Type.Union([Type.Number(), Type.Null()]), p90: Type.Union([Type.Number(), Type.Null()]) }),
  averageRating: Type.Union([Type.Number(), Type.Null()]),
  ratings: Type.Integer(),
});

const DEFAULT_PERIOD_MS = 30 * 86_400_000;
const MAX_ORDERS = 100_000;

/** `GET /v1/stats`: workload, speed and satisfaction of an institution over a period (default the last 30 days). */
export function statsRoutes(deps: { store: OrderStore; now: () => number }) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/stats',
      { schema: { tags: ['stats'], querystring: StatsQuery, response: { 200: StatsReply, 400: ErrorReply, 403: ErrorReply } }, preHandler: app.auth('coordinator', 'admin') },
      async (req) => {
        const q = req.query as Type.Static<typeof StatsQuery>;
        const claims = claimsOf(req);
        const institutionId = q.institutionId ?? claims.institution;
        if (!institutionId) throw new ValidationError('institutionId is required for an admin', [{ path: '/institutionId', message: 'required' }]);
        requireInstitutionAccess(claims, institutionId);
        const toMs = q.to ? Date.parse(q.to) : deps.now();
        const fromMs = q.from ? Date.parse(q.from) : toMs - DEFAULT_PERIOD_MS;
        if (fromMs > toMs) throw new ValidationError('from must be before to', [{ path: '/from', message: 'after to' }]);
        const ids = await deps.store.idsOfInstitution(institutionId, fromMs, toMs, MAX_ORDERS);
        const orders = (await Promise.all(ids.map((id) => deps.store.get(id)))).filter((o): o is Order => o !== undefined);
        return { institutionId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ...computeOrderStats(orders) };
      },
    );
  };
}
