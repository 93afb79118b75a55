import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AVAILABILITY, ErrorReply, Id, NotFoundError, ValidationError, type Order, type OrderState } from '@nursing/contracts';
import { assertValidBBox, cellBoundaryGeoJson, cellOf, type BBox } from '@nursing/geo';
import { claimsOf } from '@nursing/service-kit';
import { requireInstitutionAccess } from '@nursing/auth';
import type { NurseIndex } from '../matching/nurse-index.ts';
import { isEligible } from '../matching/eligibility.ts';
import type { OrderStore } from '../orders/order-store.ts';
import { findCatalogItem } from '../catalog/catalog-rules.ts';
import { PUDONG_ITEMS } from '@nursing/contracts';

/** Supply and demand are counted per H3 cell of this resolution (~1.2 km edge at Shanghai). */
export const SUPPLY_RESOLUTION = 7;
/** Orders still waiting for a nurse: the demand a coordinator can still do something about. */
export const OPEN_ORDER_STATES: readonly OrderState[] = ['created', 'dispatching', 'offered', 'broadcast', 'unassigned'];
/** Open orders are looked for among those created this far back. */
const OPEN_ORDER_LOOKBACK_MS = 7 * 86_400_000;
const MAX_OPEN_ORDERS = 10_000;

// "Eligible in principle": the rules that do not depend on an order's item or place.
// An item without a certification requirement stands for any such item.
const NO_CERTIFICATION_ITEM = PUDONG_ITEMS.find((i) => i.requiredCertification === null)!;

const SupplyQuery = Type.Object({
  west: Type.Number({ minimum: -180, maximum: 180 }),
  south: Type.Number({ minimum: -90, maximum: 90 }),
  east: Type.Number({ minimum: -180, maximum: 180 }),
  north: Type.Number({ minimum: -90, maximum: 90 }),
  institutionId: Type.Optional(Id),
  itemCode: Type.Optional(Type.String({ maxLength: 64, description: "count only nurses certified for this item (default: items that need no certification)" })),
});

const SupplyReply = Type.Object({
  institutionId: Id,
  resolution: Type.Integer(),
  cells: Type.Array(
    Type.Object({
      cell: Type.String(),
      supply: Type.Integer({ description: 'available nurses of the institution who meet every rule that does not depend on the order' }),
      demand: Type.Integer({ description: 'open orders of the institution (not yet taken by a nurse)' }),
      boundary: Type.Array(Type.Array(Type.Number()), { description: 'closed ring of [lng, lat]' }),
    }),
  ),
  totals: Type.Object({ supply: Type.Integer(), demand: Type.Integer() }),
});

const RosterQuery = Type.Object({ institutionId: Type.Optional(Id) });
const RosterReply = Type.Object({
  institutionId: Id,
  nurses: Type.Array(
    Type.Object({
      nurseId: Id,
      name: Type.String(),
      status: Type.Enum(AVAILABILITY),
      eligible: Type.Boolean({ description: 'counts as supply now (available, fresh position, meets the rules)' }),
    }),
  ),
});

const inBox = (p: { lat: number; lng: number }, b: BBox) => p.lat >= b.south && p.lat <= b.north && p.lng >= b.west && p.lng <= b.east;

/**
 * The coordinator's supply/demand layer: `GET /v1/supply` counts, per H3 cell in the
 * viewport, the institution's nurses who could take an order now against its orders
 * still waiting for one; `GET /v1/supply/nurses` is the roster behind it (status per
 * nurse), which the live map uses to colour markers. Both read dispatch's in-process
 * index, the same view matching uses.
 */
export function supplyRoutes(deps: { index: NurseIndex; store: OrderStore; now: () => number; maxPositionAgeMs: number }) {
  const { index, store, now, maxPositionAgeMs } = deps;

  function institutionOf(req: Parameters<typeof claimsOf>[0], asked: string | undefined): string {
    const claims = claimsOf(req);
    const institutionId = asked ?? claims.institution;
    if (!institutionId) throw new ValidationError('institutionId is required for an admin', [{ path: '/institutionId', message: 'required' }]);
    requireInstitutionAccess(claims, institutionId);
    return institutionId;
  }

  function eligibleNow(institutionId: string, itemCode: string | undefined) {
    const item = itemCode === undefined ? NO_CERTIFICATION_ITEM : findCatalogItem(itemCode);
    if (!item) throw new NotFoundError('catalogue item', itemCode ?? '');
    const nowMs = now();
    const ctx = {
      order: { institutionId, window: { startAt: new Date(nowMs).toISOString(), endAt: new Date(nowMs).toISOString() } },
      visitEndMs: nowMs,
      item,
      nowMs,
      maxPositionAgeMs,
      radiusMeters: Infinity,
    };
    return (entry: Parameters<typeof isEligible>[0]) => isEligible(entry, ctx);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/v1/supply',
      { schema: { tags: ['stats'], querystring: SupplyQuery, response: { 200: SupplyReply, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply } }, preHandler: app.auth('coordinator', 'admin') },
      async (req) => {
        const q = req.query as Type.Static<typeof SupplyQuery>;
        const institutionId = institutionOf(req, q.institutionId);
        const box: BBox = { west: q.west, south: q.south, east: q.east, north: q.north };
        try {
          assertValidBBox(box);
        } catch (err) {
          throw new ValidationError(`invalid box: ${(err as Error).message}`, [{ path: '/west', message: (err as Error).message }]);
        }
        const eligible = eligibleNow(institutionId, q.itemCode);
        const cells = new Map<string, { supply: number; demand: number }>();
        const bump = (p: { lat: number; lng: number }, field: 'supply' | 'demand') => {
          const cell = cellOf(p, SUPPLY_RESOLUTION);
          let counts = cells.get(cell);
          if (!counts) cells.set(cell, (counts = { supply: 0, demand: 0 }));
          counts[field]++;
        };
        for (const [, entry] of index.ofInstitution(institutionId)) {
          if (entry.position && inBox(entry.position, box) && eligible(entry)) bump(entry.position, 'supply');
        }
        const nowMs = now();
        const ids = await store.idsOfInstitution(institutionId, nowMs - OPEN_ORDER_LOOKBACK_MS, nowMs + 86_400_000, MAX_OPEN_ORDERS);
        const orders = await Promise.all(ids.map((id) => store.get(id)));
        for (const order of orders) {
          if (isOpen(order) && inBox(order.location, box)) bump(order.location, 'demand');
        }
        let supply = 0;
        let demand = 0;
        const out = [...cells].map(([cell, counts]) => {
          supply += counts.supply;
          demand += counts.demand;
          return { cell, ...counts, boundary: cellBoundaryGeoJson(cell) };
        });
        return { institutionId, resolution: SUPPLY_RESOLUTION, cells: out, totals: { supply, demand } };
      },
    );

    app.get(
      '/v1/supply/nurses',
      { schema: { tags: ['stats'], querystring: RosterQuery, response: { 200: RosterReply, 400: ErrorReply, 403: ErrorReply } }, preHandler: app.auth('coordinator', 'admin') },
      async (req) => {
        const institutionId = institutionOf(req, (req.query as Type.Static<typeof RosterQuery>).institutionId);
        const eligible = eligibleNow(institutionId, undefined);
        const nurses = index.ofInstitution(institutionId).map(([nurseId, entry]) => ({
          nurseId,
          name: entry.nurse?.name ?? '',
          status: entry.presence?.status ?? 'offline',
          eligible: eligible(entry),
        }));
        return { institutionId, nurses };
      },
    );
  };
}

function isOpen(order: Order | undefined): order is Order {
  return !!order && OPEN_ORDER_STATES.includes(order.state);
}
