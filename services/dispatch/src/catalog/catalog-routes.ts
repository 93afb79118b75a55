import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { CatalogReply, FORBIDDEN_DRUG_CLASSES } from '@nursing/contracts';
import { NEGATIVE_LIST } from './negative-list.ts';
import { PUDONG_ITEMS } from '@nursing/contracts';

// Built once: the catalogue is seed data and does not change while the process runs.
const reply: Static<typeof CatalogReply> = {
  items: [...PUDONG_ITEMS],
  negativeList: [...NEGATIVE_LIST],
  forbiddenDrugClasses: [...FORBIDDEN_DRUG_CLASSES],
};

/** `GET /v1/catalog`: what may be ordered, what never may, and which drug classes are refused. */
export function catalogRoutes() {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/catalog',
      { schema: { tags: ['catalog'], response: { 200: CatalogReply } }, preHandler: app.auth() },
      async () => reply,
    );
  };
}
