import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AlarmStats, ErrorReply, ForbiddenError, Id, Timestamp, ValidationError } from '@nursing/contracts';
import { claimsOf } from '@nursing/service-kit';
import { requireInstitutionAccess } from '@nursing/auth';
import type { AlarmStore } from '../store/alarm-store.ts';
import { computeAlarmStats } from './alarm-stats.ts';

const StatsQuery = Type.Object(
  { from: Type.Optional(Timestamp), to: Type.Optional(Timestamp), institutionId: Type.Optional(Id) },
  { additionalProperties: false },
);
const DEFAULT_PERIOD_MS = 30 * 86_400_000;
const MAX_ALARMS = 100_000;

/** `GET /v1/alarms/stats`: alarms by kind and status and the mean time to acknowledge, drills left out. */
export function statsRoutes(deps: { store: AlarmStore; now: () => number }) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/alarms/stats',
      {
        schema: { tags: ['alarms'], querystring: StatsQuery, response: { 200: AlarmStats, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply } },
        preHandler: app.auth('security', 'admin', 'coordinator'),
      },
      async (req) => {
        const q = req.query as Type.Static<typeof StatsQuery>;
        const claims = claimsOf(req);
        // Coordinators see their own institution only; the desk and admins may narrow to one.
        const institutionId = claims.role === 'coordinator' ? (q.institutionId ?? claims.institution) : q.institutionId;
        if (claims.role === 'coordinator') {
          if (!institutionId) throw new ForbiddenError('your token names no institution');
          requireInstitutionAccess(claims, institutionId);
        }
        const toMs = q.to ? Date.parse(q.to) : deps.now();
        const fromMs = q.from ? Date.parse(q.from) : toMs - DEFAULT_PERIOD_MS;
        if (fromMs > toMs) throw new ValidationError('from must be before to', [{ path: '/from', message: 'after to' }]);
        const alarms = (await deps.store.listRaisedBetween(fromMs, toMs, MAX_ALARMS)).filter((a) => !institutionId || a.institutionId === institutionId);
        return {
          from: new Date(fromMs).toISOString(),
          to: new Date(toMs).toISOString(),
          ...(institutionId ? { institutionId } : {}),
          ...computeAlarmStats(alarms),
        };
      },
    );
  };
}
