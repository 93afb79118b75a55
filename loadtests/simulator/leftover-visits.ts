import type { CatalogItem, Order, OrderState } from '@nursing/contracts';
import { completionRecord } from './completion-record.ts';
import { errorCodeOf, type Api } from './http-client.ts';
import type { SimInstitution } from './fleet.ts';
import type { Rng } from './rng.ts';
import type { SimTokens } from './tokens.ts';

/** States in which an order holds its nurse: dispatch answers her claims with NURSE_BUSY until it ends. */
const HOLDING_STATES: readonly OrderState[] = ['accepted', 'en_route', 'arrived', 'in_service'];
/** How far back to look: a stopped demo is rerun within hours, not weeks. */
const LOOK_BACK_MS = 24 * 3600_000;

/**
 * Settles the visits an earlier run left in progress (it stopped, or was killed, while
 * nurses were on their way or at a patient's home). A simulated nurse starts idle and
 * does not know about them, so dispatch would refuse every job she tries to take with
 * NURSE_BUSY for the rest of the run. Visits not begun yet are cancelled by the
 * coordinator; one in service can only end by completion, which the nurse reports.
 */
export async function settleLeftoverVisits(deps: {
  api: Api;
  tokens: SimTokens;
  institutions: readonly SimInstitution[];
  items: ReadonlyMap<string, CatalogItem>;
  rng: Rng;
  nowMs?: number;
}): Promise<{ cancelled: number; completed: number }> {
  const { api, tokens } = deps;
  const from = new Date((deps.nowMs ?? Date.now()) - LOOK_BACK_MS).toISOString();
  const settled = { cancelled: 0, completed: 0 };
  for (const institution of deps.institutions) {
    const token = tokens.coordinator(institution.id);
    for (const state of HOLDING_STATES) {
      const listed = await api('GET', `/v1/orders?state=${state}&from=${encodeURIComponent(from)}&limit=1000`, token);
      if (listed.status !== 200) throw new Error(`GET /v1/orders for ${institution.id} answered ${listed.status} ${errorCodeOf(listed)}`);
      for (const order of (listed.body as { orders: Order[] }).orders) {
        const reply =
          state === 'in_service' && order.assignedNurseId
            ? await api('POST', `/v1/orders/${encodeURIComponent(order.id)}/progress`, tokens.nurse(order.assignedNurseId, institution.id), {
                step: 'completed',
                completion: completionRecord(deps.items.get(order.itemCode)?.category ?? 'basic', deps.rng),
              })
            : await api('POST', `/v1/orders/${encodeURIComponent(order.id)}/cancel`, token, { reason: 'simulator restarted: the visit of an earlier run was abandoned' });
        // 409: it moved on (completed, cancelled) since it was listed.
        if (reply.status === 200) settled[state === 'in_service' ? 'completed' : 'cancelled']++;
        else if (reply.status !== 409) throw new Error(`settling ${order.id} (${state}) answered ${reply.status} ${errorCodeOf(reply)}`);
      }
    }
  }
  return settled;
}
