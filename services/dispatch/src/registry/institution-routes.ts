import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConflictError,
  IdParams,
  Institution,
  InstitutionList,
  NEARBY_INSTITUTION_RADIUS_M,
  NearbyInstitutionList,
  NearbyQuery,
  NotFoundError,
} from '@nursing/contracts';
import type { InstitutionRepository } from './institution-repository.ts';
import { institutionsWithin } from './nearby-institutions.ts';

const tags = ['registry'];

/** Institutions: admins register them; every signed-in role may read them. */
export function institutionRoutes(institutions: InstitutionRepository) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/v1/institutions',
      { schema: { tags, body: Institution, response: { 201: Institution } }, preHandler: app.auth('admin') },
      async (request, reply) => {
        if (!(await institutions.create(request.body))) {
          throw new ConflictError('ALREADY_EXISTS', `institution ${request.body.id} already exists`);
        }
        return reply.status(201).send(request.body);
      },
    );

    app.get('/v1/institutions', { schema: { tags, response: { 200: InstitutionList } }, preHandler: app.auth() }, async () => ({
      items: await institutions.list(),
    }));

    // Shenyang: a discharged patient is shown every institution within 10 km.
    app.get(
      '/v1/institutions/nearby',
      { schema: { tags, querystring: NearbyQuery, response: { 200: NearbyInstitutionList } }, preHandler: app.auth() },
      async (request) => {
        const { lat, lng } = request.query;
        return {
          radiusMeters: NEARBY_INSTITUTION_RADIUS_M,
          items: institutionsWithin(await institutions.list(), { lat, lng }, NEARBY_INSTITUTION_RADIUS_M),
        };
      },
    );

    app.get(
      '/v1/institutions/:id',
      { schema: { tags, params: IdParams, response: { 200: Institution } }, preHandler: app.auth() },
      async (request) => {
        const institution = await institutions.get(request.params.id);
        if (!institution) throw new NotFoundError('institution', request.params.id);
        return institution;
      },
    );
  };
}
