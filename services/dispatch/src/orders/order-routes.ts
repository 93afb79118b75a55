import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  AuditEntry,
  ErrorReply,
  ForbiddenError,
  Id,
  IdParams,
  Order,
  OrderCreate,
  Patient,
  ProgressRequest,
  Timestamp,
  ORDER_STATES,
} from '@nursing/contracts';
import { claimsOf, perCaller } from '@nursing/service-kit';
import { requireInstitutionAccess } from '@nursing/auth';
import type { OrderService } from './order-service.ts';
import type { Matcher } from '../matching/matcher.ts';
import type { OrderStore } from './order-store.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { findCatalogItem } from '../catalog/catalog-rules.ts';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 422: ErrorReply };
const Params = IdParams;
const tags = ['orders'];

const CandidatesReply = Type.Object({
  orderId: Id,
  eligible: Type.Array(
    Type.Object({ nurseId: Id, name: Type.String(), distanceMeters: Type.Number(), workloadToday: Type.Integer(), rating: Type.Optional(Type.Number()) }),
  ),
  ineligible: Type.Array(
    Type.Object({
      nurseId: Id,
      name: Type.String(),
      distanceMeters: Type.Optional(Type.Number()),
      reasons: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
    }),
  ),
  otherInstitutionsNearby: Type.Integer({ description: 'eligible-looking nurses of other institutions nearby; never identified' }),
});

const ListQuery = Type.Object({
  state: Type.Optional(Type.Enum(ORDER_STATES)),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  nurseId: Type.Optional(Id),
});

/** Order routes: coordinators create and steer orders; nurses answer offers and report visits. */
export function orderRoutes(deps: { service: OrderService; matcher: Matcher; store: OrderStore; audit: AuditLog; createLimitPerMin: number }) {
  const { service, matcher, store, audit, createLimitPerMin } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/orders',
      {
        schema: { tags, body: OrderCreate, response: { 201: Order, ...errors } },
        preHandler: app.auth('coordinator'),
        config: { rateLimit: perCaller({ max: createLimitPerMin, windowMs: 60_000 }) },
      },
      async (req, reply) => reply.status(201).send(await service.create(req.body as OrderCreate, claimsOf(req))),
    );

    app.get('/v1/orders', { schema: { tags, querystring: ListQuery, response: { 200: Type.Object({ orders: Type.Array(Order) }) } }, preHandler: app.auth('coordinator') }, async (req) => {
      const q = req.query as Type.Static<typeof ListQuery>;
      const claims = claimsOf(req);
      const ids = await store.idsOfInstitution(claims.institution as string, q.from ? Date.parse(q.from) : 0, q.to ? Date.parse(q.to) : Date.now() + 86_400_000, q.limit ?? 200);
      const orders = (await Promise.all(ids.map((id) => store.get(id)))).filter((o): o is Order => !!o && (!q.state || o.state === q.state) && (!q.nurseId || o.assignedNurseId === q.nurseId));
      return { orders };
    });

    app.get('/v1/orders/:id', { schema: { tags, params: Params, response: { 200: Order, ...errors } }, preHandler: app.auth('coordinator', 'admin', 'nurse') }, async (req) => {
      const order = await service.get((req.params as { id: string }).id);
      const claims = claimsOf(req);
      if (claims.role === 'nurse') {
        if (order.assignedNurseId !== claims.sub && order.offer?.nurseId !== claims.sub) throw new ForbiddenError('not your order');
      } else requireInstitutionAccess(claims, order.institutionId);
      return order;
    });

    app.get('/v1/orders/:id/candidates', { schema: { tags, params: Params, response: { 200: CandidatesReply, ...errors } }, preHandler: app.auth('coordinator', 'admin') }, async (req) => {
      const order = await service.get((req.params as { id: string }).id);
      requireInstitutionAccess(claimsOf(req), order.institutionId);
      const item = findCatalogItem(order.itemCode);
      if (!item) return { orderId: order.id, eligible: [], ineligible: [], otherInstitutionsNearby: 0 };
      return { orderId: order.id, ...(await matcher.explain(order, item, await store.wasOffered(order.id))) };
    });

    app.get('/v1/orders/:id/timeline', { schema: { tags, params: Params, response: { 200: Type.Object({ orderId: Id, entries: Type.Array(AuditEntry) }), ...errors } }, preHandler: app.auth('coordinator', 'admin') }, async (req) => {
      const order = await service.get((req.params as { id: string }).id);
      requireInstitutionAccess(claimsOf(req), order.institutionId);
      return { orderId: order.id, entries: await audit.timeline(order.id) };
    });

    app.get('/v1/orders/:id/patient', { schema: { tags, params: Params, response: { 200: Patient, ...errors } }, preHandler: app.auth('coordinator', 'admin', 'nurse') }, async (req) =>
      service.patientFor((req.params as { id: string }).id, claimsOf(req)),
    );

    const AssignBody = Type.Object(
      { nurseId: Id, override: Type.Optional(Type.Boolean()), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
      { additionalProperties: false },
    );
    app.post('/v1/orders/:id/assign', { schema: { tags, params: Params, body: AssignBody, response: { 200: Order, ...errors } }, preHandler: app.auth('coordinator', 'admin') }, async (req) => {
      const body = req.body as Type.Static<typeof AssignBody>;
      return service.assign((req.params as { id: string }).id, body.nurseId, claimsOf(req), { override: body.override, reason: body.reason });
    });

    const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
    app.post('/v1/orders/:id/cancel', { schema: { tags, params: Params, body: ReasonBody, response: { 200: Order, ...errors } }, preHandler: app.auth('coordinator', 'admin') }, async (req) =>
      service.cancel((req.params as { id: string }).id, claimsOf(req), (req.body as { reason: string }).reason),
    );

    app.post('/v1/orders/:id/redispatch', { schema: { tags, params: Params, response: { 200: Order, ...errors } }, preHandler: app.auth('coordinator', 'admin') }, async (req) =>
      service.redispatch((req.params as { id: string }).id, claimsOf(req)),
    );

    const RatingBody = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
    app.post('/v1/orders/:id/rating', { schema: { tags, params: Params, body: RatingBody, response: { 200: Order, ...errors } }, preHandler: app.auth('coordinator') }, async (req) => {
      const body = req.body as Type.Static<typeof RatingBody>;
      return service.rate((req.params as { id: string }).id, claimsOf(req), body.score, body.comment);
    });

    // The nurse app normally answers over its WebSocket (through NATS); these are the same actions over HTTP.
    const AssignedReply = Type.Object({ order: Order, patient: Patient });
    app.post('/v1/orders/:id/accept', { schema: { tags, params: Params, response: { 200: AssignedReply, ...errors } }, preHandler: app.auth('nurse') }, async (req) =>
      service.accept(claimsOf(req).sub, (req.params as { id: string }).id),
    );
    app.post('/v1/orders/:id/decline', { schema: { tags, params: Params, body: ReasonBody, response: { 200: Order, ...errors } }, preHandler: app.auth('nurse') }, async (req) =>
      service.decline(claimsOf(req).sub, (req.params as { id: string }).id, (req.body as { reason: string }).reason),
    );
    app.post('/v1/orders/:id/grab', { schema: { tags, params: Params, response: { 200: AssignedReply, ...errors } }, preHandler: app.auth('nurse') }, async (req) =>
      service.grab(claimsOf(req).sub, (req.params as { id: string }).id),
    );
    const ProgressBody = Type.Omit(ProgressRequest, ['nurseId', 'orderId']);
    app.post('/v1/orders/:id/progress', { schema: { tags, params: Params, body: ProgressBody, response: { 200: Order, ...errors } }, preHandler: app.auth('nurse') }, async (req) => {
      const body = req.body as Type.Static<typeof ProgressBody>;
      return service.progress(claimsOf(req).sub, (req.params as { id: string }).id, body.step, { identityConfirmed: body.identityConfirmed, completion: body.completion, position: body.position });
    });
  };
}
