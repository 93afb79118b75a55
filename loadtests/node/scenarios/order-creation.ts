import autocannon from 'autocannon';
import { orderRequest } from '../../simulator/order-requests.ts';
import { seededRng } from '../../simulator/rng.ts';
import { CITY_CENTRE } from '../../simulator/geo-offset.ts';
import type { CatalogItem } from '@nursing/contracts';
import { prepareFleet } from '../harness-fleet.ts';
import type { Scenario } from '../scenario.ts';

/** Coordinators creating orders over HTTP with autocannon, at `rate` per second for the duration. */
export const orderCreation: Scenario = async (s) => {
  const fleet = await prepareFleet(s.baseUrl, 0, s.secret);
  const catalog = await fleet.api('GET', '/v1/catalog', fleet.coordinatorToken);
  const items = (catalog.body as { items: CatalogItem[] }).items.filter((i) => !i.requiredCertification);
  const rng = seededRng(3);
  const institution = { id: fleet.institutionId, name: 'Load-test Centre', kind: 'community_health_centre' as const, location: CITY_CENTRE };
  const bodies = Array.from({ length: 200 }, () => JSON.stringify(orderRequest(rng, institution, items, 0.5, 3_000, Date.now())));
  let next = 0;
  const result = await autocannon({
    url: `${s.baseUrl}/v1/orders`,
    method: 'POST',
    headers: { authorization: `Bearer ${fleet.coordinatorToken}`, 'content-type': 'application/json' },
    connections: 10,
    overallRate: s.rate,
    duration: s.durationS,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] as string }) }],
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return {
    summaries: [
      {
        name: 'POST /v1/orders',
        count: result['2xx'],
        errors: non2xx,
        ratePerS: result['2xx'] / result.duration,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        maxMs: result.latency.max,
      },
    ],
    notes: [`${result.requests.total} requests, ${result['2xx']} created, ${result.non2xx} refused, ${result.errors} errors, ${result.timeouts} timeouts`],
    errors: non2xx,
  };
};
