import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { Alarm, AlarmAcknowledge, AlarmList, AlarmListQuery, AlarmResolve, AuditEntry, ErrorReply, IdParams, NotFoundError } from '@nursing/contracts';
import { claimsOf } from '@nursing/service-kit';
import type { AlarmStore } from '../store/alarm-store.ts';
import type { AlarmAudit } from '../audit/alarm-audit.ts';
import { alarmAuditKey } from '../audit/alarm-audit.ts';
import type { DeskActions } from './desk-actions.ts';
import { alarmFor, visibleTo } from './alarm-views.ts';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['alarms'];
const AuditTrail = Type.Object({ alarmId: Type.String(), entries: Type.Array(AuditEntry) });
/** Resolved alarms are looked up among this many of the newest. */
const LISTING_WINDOW = 5_000;

/** The security desk's HTTP side: list, read, acknowledge, resolve, and each alarm's audit trail. */
export function deskRoutes(deps: { store: AlarmStore; actions: DeskActions; audit: AlarmAudit }) {
  const { store, actions, audit } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/alarms',
      {
        schema: { tags, summary: 'alarms by status, newest first', querystring: AlarmListQuery, response: { 200: AlarmList, ...errors } },
        preHandler: app.auth('security', 'admin', 'coordinator'),
      },
      async (req) => {
        const claims = claimsOf(req);
        const q = req.query as Type.Static<typeof AlarmListQuery>;
        const limit = q.limit ?? 100;
        const candidates =
          q.status === 'open' || q.status === 'acknowledged'
            ? (await store.listOpen()).reverse()
            : await store.listRaisedBetween(0, Number.MAX_SAFE_INTEGER, q.status ? LISTING_WINDOW : limit * 4);
        const alarms = candidates
          .filter((a) => (q.status ? a.status === q.status : true) && visibleTo(claims, a))
          .slice(0, limit)
          .map((a) => alarmFor(claims, a));
        return { alarms };
      },
    );

    app.get(
      '/v1/alarms/:id',
      { schema: { tags, params: IdParams, response: { 200: Alarm, ...errors } }, preHandler: app.auth('security', 'admin', 'coordinator', 'nurse') },
      async (req) => {
        const { id } = req.params as { id: string };
        const alarm = await store.get(id);
        if (!alarm) throw new NotFoundError('alarm', id);
        return alarmFor(claimsOf(req), alarm);
      },
    );

    app.get(
      '/v1/alarms/:id/audit',
      { schema: { tags, summary: "the alarm's full trace from the audit stream", params: IdParams, response: { 200: AuditTrail, ...errors } }, preHandler: app.auth('security', 'admin') },
      async (req) => {
        const { id } = req.params as { id: string };
        if (!(await store.get(id))) throw new NotFoundError('alarm', id);
        return { alarmId: id, entries: await audit.trail(alarmAuditKey(id)) };
      },
    );

    app.post(
      '/v1/alarms/:id/acknowledge',
      {
        schema: { tags, params: IdParams, body: AlarmAcknowledge, response: { 200: Alarm, ...errors } },
        // One click on the desk: a request without a body is an acknowledgement without notes.
        preValidation: async (req) => {
          req.body ??= {};
        },
        preHandler: app.auth('security', 'admin'),
      },
      async (req) => {
        const { id } = req.params as { id: string };
        return actions.acknowledge(id, claimsOf(req), (req.body as Type.Static<typeof AlarmAcknowledge>).notes);
      },
    );

    app.post(
      '/v1/alarms/:id/resolve',
      { schema: { tags, params: IdParams, body: AlarmResolve, response: { 200: Alarm, ...errors } }, preHandler: app.auth('security', 'admin') },
      async (req) => {
        const { id } = req.params as { id: string };
        return actions.resolve(id, claimsOf(req), (req.body as Type.Static<typeof AlarmResolve>).notes);
      },
    );
  };
}
