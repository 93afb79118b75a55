import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireInstitutionAccess } from '@nursing/auth';
import { claimsOf } from '@nursing/service-kit';
import type { PresenceStore } from '@nursing/presence';
import {
  ForbiddenError,
  IdParams,
  LocationReport,
  NotFoundError,
  Nurse,
  NurseCreate,
  NurseList,
  NurseListQuery,
  NurseUpdate,
  StatusReport,
  ValidationError,
  type TokenClaims,
} from '@nursing/contracts';
import type { NurseRepository } from './nurse-repository.ts';

/** A fix stamped further ahead than this comes from a phone with a wrong clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const tags = ['registry'];
// type 'null' tells the OpenAPI generator there is no body.
const NoContent = Type.Null({ description: 'stored' });

export interface NurseRoutesDeps {
  nurses: NurseRepository;
  presence: PresenceStore;
  now: () => number;
}

/** A nurse acts only for herself: her token's subject is her nurse id. */
function requireSelf(claims: TokenClaims, nurseId: string, what: string): void {
  if (claims.sub !== nurseId) throw new ForbiddenError(`a nurse may only report her own ${what}`);
}

/**
 * Nurse profiles (admins and the coordinators of her institution) and the nurse's own
 * reports of where she is and whether she is available.
 */
export function nurseRoutes({ nurses, presence, now }: NurseRoutesDeps) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    async function load(id: string): Promise<Nurse> {
      const nurse = await nurses.get(id);
      if (!nurse) throw new NotFoundError('nurse', id);
      return nurse;
    }

    app.post(
      '/v1/nurses',
      { schema: { tags, body: NurseCreate, response: { 201: Nurse } }, preHandler: app.auth('admin', 'coordinator') },
      async (request, reply) => {
        requireInstitutionAccess(claimsOf(request), request.body.institutionId);
        return reply.status(201).send(await nurses.create(request.body));
      },
    );

    app.get(
      '/v1/nurses',
      { schema: { tags, querystring: NurseListQuery, response: { 200: NurseList } }, preHandler: app.auth('admin', 'coordinator') },
      async (request) => {
        const claims = claimsOf(request);
        const { institutionId = claims.institution, ...filter } = request.query;
        // Admins span every institution, so they must say which one: a city has thousands of nurses.
        if (!institutionId) throw new ValidationError('institutionId is required', [{ path: '/institutionId', message: 'is required for admin' }]);
        requireInstitutionAccess(claims, institutionId);
        return { items: await nurses.listByInstitution(institutionId, filter) };
      },
    );

    app.get(
      '/v1/nurses/:id',
      { schema: { tags, params: IdParams, response: { 200: Nurse } }, preHandler: app.auth('admin', 'coordinator', 'nurse') },
      async (request) => {
        const claims = claimsOf(request);
        // Checked before the lookup so a nurse cannot probe which colleagues exist.
        if (claims.role === 'nurse' && claims.sub !== request.params.id) throw new ForbiddenError('a nurse may only read her own profile');
        const nurse = await load(request.params.id);
        requireInstitutionAccess(claims, nurse.institutionId);
        return nurse;
      },
    );

    app.patch(
      '/v1/nurses/:id',
      { schema: { tags, params: IdParams, body: NurseUpdate, response: { 200: Nurse } }, preHandler: app.auth('admin', 'coordinator') },
      async (request) => {
        const nurse = await load(request.params.id);
        // The institution never changes (NurseUpdate has no such field), so this check stays true for the write.
        requireInstitutionAccess(claimsOf(request), nurse.institutionId);
        return nurses.update(nurse.id, request.body);
      },
    );

    app.put(
      '/v1/nurses/:id/location',
      { schema: { tags, params: IdParams, body: LocationReport, response: { 204: NoContent } }, preHandler: app.auth('nurse') },
      async (request, reply) => {
        const nurseId = request.params.id;
        requireSelf(claimsOf(request), nurseId, 'location');
        const report = request.body;
        const aheadMs = report.atMs - now();
        if (aheadMs > MAX_CLOCK_SKEW_MS) {
          throw new ValidationError(`clock skew: the fix is ${Math.round(aheadMs / 1000)} s in the future (at most ${MAX_CLOCK_SKEW_MS / 1000} s allowed)`, [
            { path: '/atMs', message: 'is too far in the future' },
          ]);
        }
        if (!(await nurses.exists(nurseId))) throw new NotFoundError('nurse', nurseId);
        await presence.recordPositions([{ nurseId, ...report }]);
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/nurses/:id/status',
      { schema: { tags, params: IdParams, body: StatusReport, response: { 204: NoContent } }, preHandler: app.auth('nurse') },
      async (request, reply) => {
        const nurseId = request.params.id;
        requireSelf(claimsOf(request), nurseId, 'status');
        if (!(await nurses.exists(nurseId))) throw new NotFoundError('nurse', nurseId);
        await presence.setPresence(nurseId, request.body.status, now());
        return reply.status(204).send(null);
      },
    );
  };
}
