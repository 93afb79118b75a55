import type { CatalogItem, Order } from '@nursing/contracts';
import type { Api } from './http-client.ts';
import { errorCodeOf } from './http-client.ts';
import type { SimInstitution } from './fleet.ts';
import type { SimOptions } from './options.ts';
import type { SimStats } from './sim-stats.ts';
import type { SimTokens } from './tokens.ts';
import { orderRequest } from './order-requests.ts';
import { exponential, pick, type Rng } from './rng.ts';

/**
 * The institutions' coordinators: orders arrive as a Poisson process at
 * `ordersPerMinute` in all, each created over HTTP by a coordinator of a random
 * institution, as the first-visit assessment of a patient near it is done.
 */
export function startCoordinators(deps: { api: Api; tokens: SimTokens; institutions: readonly SimInstitution[]; items: readonly CatalogItem[]; options: SimOptions; stats: SimStats; rng: Rng }) {
  const { api, tokens, institutions, items, options, stats, rng } = deps;
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function createOne(): Promise<void> {
    const institution = pick(rng, institutions);
    const body = orderRequest(rng, institution, items, options.grabShare, Math.min(options.spreadKm, 3) * 1000, Date.now());
    try {
      const reply = await api('POST', '/v1/orders', tokens.coordinator(institution.id), body);
      if (reply.status === 201) {
        stats.counters.ordersCreated++;
        const order = reply.body as Order;
        if (order.state === 'unassigned') stats.orders.unassigned.add(order.id);
      } else {
        stats.error(`order.create: ${errorCodeOf(reply)}`);
      }
    } catch (err) {
      stats.error(`order.create: ${(err as Error).name}`);
    }
  }

  function scheduleNext(): void {
    if (stopped || options.ordersPerMinute <= 0) return;
    timer = setTimeout(() => {
      const p = createOne().finally(() => inFlight.delete(p));
      inFlight.add(p);
      scheduleNext();
    }, exponential(rng, 60_000 / options.ordersPerMinute));
  }
  scheduleNext();

  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
