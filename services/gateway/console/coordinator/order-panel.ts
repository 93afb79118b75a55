import type { AuditEntry, Order } from '@nursing/contracts';
import { ApiError } from '../shared/api.ts';
import { fill, h } from '../shared/dom.ts';
import { ago, clock, clockSeconds, metres, words } from '../shared/format.ts';
import { itemName, type ConsoleContext } from './context.ts';
import { stateChip } from './chips.ts';
import { groupOf } from './order-book.ts';

interface Candidates {
  orderId: string;
  eligible: { nurseId: string; name: string; distanceMeters: number; workloadToday: number; rating?: number }[];
  ineligible: { nurseId: string; name: string; distanceMeters?: number; reasons: { code: string; text: string }[] }[];
  otherInstitutionsNearby: number;
}

/** Groups in which a coordinator may still pick the nurse. */
const ASSIGNABLE = new Set(['waiting', 'broadcast', 'unassigned']);

/**
 * An order's detail: facts, actions, its candidates (ranked, and everyone of the
 * institution who may not take it, with each reason) with an assign button each, and
 * its full timeline from the audit trail.
 */
export function renderOrderPanel(ctx: ConsoleContext, orderId: string): HTMLElement {
  const root = h('section', { class: 'order-panel', 'aria-labelledby': 'order-title', 'data-order': orderId });
  const actionError = h('p', { class: 'form-error', role: 'alert', id: 'order-action-error' });
  const candidatesEl = h('div', { class: 'candidates-wrap' }, h('p', { class: 'empty' }, 'Loading candidates…'));
  const timelineEl = h('ol', { class: 'timeline', 'aria-label': 'Timeline' }, h('li', { class: 'empty' }, 'Loading…'));

  async function act(what: string, run: () => Promise<Order>): Promise<void> {
    fill(actionError);
    try {
      ctx.orders.put(await run());
      ctx.ordersChanged();
    } catch (err) {
      fill(actionError, `${what} failed: ${err instanceof ApiError ? `${err.message} (${err.code})` : String(err)}`);
    }
  }

  function header(order: Order): HTMLElement {
    const nurse = order.assignedNurseId;
    const offer = order.offer;
    const facts: [string, Node | string][] = [
      ['Item', itemName(ctx.catalog, order.itemCode)],
      ['Mode', order.mode === 'grab' ? 'grab (broadcast, first nurse wins)' : 'push (offered in turn)'],
      ['Window', `${clock(order.window.startAt)}–${clock(order.window.endAt)} (${new Date(order.window.startAt).toLocaleDateString()})`],
      ['Fee', `¥${order.feeYuan}`],
      ['Created', `${clockSeconds(order.createdAt)} (${ago(order.createdAt)})`],
    ];
    if (nurse) facts.push(['Nurse', h('button', { type: 'button', class: 'link', onclick: () => ctx.showNurse(nurse) }, ctx.names.get(nurse) ?? nurse)]);
    if (offer) facts.push(['Offered to', `${ctx.names.get(offer.nurseId) ?? offer.nurseId} until ${clockSeconds(offer.expiresAt)}`]);
    if (order.broadcastUntil && order.state === 'broadcast') facts.push(['Broadcast closes', clockSeconds(order.broadcastUntil)]);
    if (order.manualAssignment) facts.push(['Assigned by hand', `${order.manualAssignment.by}${order.manualAssignment.reason ? `: ${order.manualAssignment.reason}` : ''}`]);
    if (order.rating) facts.push(['Rating', `${order.rating.score} / 5`]);

    const group = groupOf(order.state);
    const actions = h('div', { class: 'button-row' });
    if (group === 'done' || order.state === 'in_service' || order.state === 'arrived' || order.state === 'en_route') {
      actions.append(h('button', { type: 'button', onclick: () => ctx.replay(order.id) }, group === 'done' ? 'Replay visit' : 'Show trail so far'));
    }
    if (group === 'unassigned') {
      actions.append(h('button', { type: 'button', onclick: () => act('Redispatch', () => ctx.api.post(`/v1/orders/${order.id}/redispatch`)) }, 'Dispatch again'));
    }
    if (group !== 'done' && group !== 'cancelled') actions.append(cancelControl(order));

    return h(
      'div',
      {},
      h('div', { class: 'detail-head' }, h('h3', { id: 'order-title' }, `Order ${order.id}`), stateChip(order.state)),
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      actions,
      actionError,
    );
  }

  function cancelControl(order: Order): HTMLElement {
    const reason = h('input', { id: 'cancel-reason', placeholder: 'Why is it cancelled?', 'aria-describedby': 'cancel-error' });
    const error = h('p', { class: 'field-error', id: 'cancel-error', role: 'alert' });
    const box = h(
      'details',
      { class: 'cancel' },
      h('summary', {}, 'Cancel order…'),
      h('label', { for: 'cancel-reason' }, 'Reason'),
      reason,
      error,
      h(
        'button',
        {
          type: 'button',
          class: 'danger small',
          onclick: () => {
            if (!reason.value.trim()) {
              fill(error, 'A reason is required.');
              reason.setAttribute('aria-invalid', 'true');
              return;
            }
            void act('Cancel', () => ctx.api.post(`/v1/orders/${order.id}/cancel`, { reason: reason.value.trim() }));
          },
        },
        'Cancel this order',
      ),
    );
    return box;
  }

  async function loadCandidates(order: Order): Promise<void> {
    if (!ASSIGNABLE.has(groupOf(order.state))) {
      fill(candidatesEl);
      return;
    }
    let c: Candidates;
    try {
      c = await ctx.api.get<Candidates>(`/v1/orders/${order.id}/candidates`);
    } catch (err) {
      fill(candidatesEl, h('p', { class: 'form-error' }, `Candidates unavailable: ${(err as Error).message}`));
      return;
    }
    const assign = (nurseId: string, override?: { reason: string }) =>
      act('Assign', () => ctx.api.post(`/v1/orders/${order.id}/assign`, { nurseId, ...(override ? { override: true, reason: override.reason } : {}) }));

    const eligible = c.eligible.map((n, rank) =>
      h(
        'li',
        { 'data-nurse': n.nurseId },
        h(
          'div',
          {},
          h('strong', {}, `${rank + 1}. `, h('button', { type: 'button', class: 'link', onclick: () => ctx.showNurse(n.nurseId) }, n.name || n.nurseId)),
          h('div', { class: 'sub' }, `${metres(n.distanceMeters)} · ${n.workloadToday} visit${n.workloadToday === 1 ? '' : 's'} today · rating ${n.rating === undefined ? '—' : n.rating.toFixed(1)}`),
        ),
        h('button', { type: 'button', class: 'primary small', 'aria-label': `Assign ${n.name || n.nurseId}`, onclick: () => void assign(n.nurseId) }, 'Assign'),
      ),
    );
    const ineligible = c.ineligible.map((n) => {
      const reasonInput = h('input', { placeholder: 'Reason for overriding the rules', 'aria-label': `Override reason for ${n.name || n.nurseId}` });
      const overrideError = h('p', { class: 'field-error', role: 'alert' });
      return h(
        'li',
        { 'data-nurse': n.nurseId, class: 'ineligible' },
        h('div', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.showNurse(n.nurseId) }, n.name || n.nurseId), h('span', { class: 'sub' }, n.distanceMeters === undefined ? '' : ` · ${metres(n.distanceMeters)}`)),
        h(
          'details',
          {},
          h('summary', { class: 'sub' }, 'Assign anyway…'),
          reasonInput,
          overrideError,
          h(
            'button',
            {
              type: 'button',
              class: 'small',
              onclick: () => {
                if (!reasonInput.value.trim()) {
                  fill(overrideError, 'An override needs a reason; it is recorded.');
                  return;
                }
                void assign(n.nurseId, { reason: reasonInput.value.trim() });
              },
            },
            'Override and assign',
          ),
        ),
        h('ul', { class: 'why' }, ...n.reasons.map((r) => h('li', { 'data-reason': r.code }, r.text))),
      );
    });
    fill(
      candidatesEl,
      h('h2', {}, `Eligible nurses (${c.eligible.length})`),
      c.eligible.length ? h('ol', { class: 'candidates' }, ...eligible) : h('p', { class: 'empty' }, 'Nobody of your institution may take this order right now.'),
      h('h2', {}, `Not eligible (${c.ineligible.length})`),
      c.ineligible.length ? h('ul', { class: 'candidates' }, ...ineligible) : h('p', { class: 'empty' }, 'None.'),
      c.otherInstitutionsNearby ? h('p', { class: 'hint' }, `${c.otherInstitutionsNearby} nurse(s) of other institutions are nearby; they cannot be assigned.`) : null,
    );
  }

  async function loadTimeline(order: Order): Promise<void> {
    try {
      const { entries } = await ctx.api.get<{ entries: AuditEntry[] }>(`/v1/orders/${order.id}/timeline`);
      fill(
        timelineEl,
        ...entries.map((e) =>
          h(
            'li',
            { 'data-action': e.action },
            h('time', { datetime: e.at }, clockSeconds(e.at)),
            h('span', {}, h('strong', {}, words(e.action)), e.from && e.to ? ` ${words(e.from)} → ${words(e.to)}` : '', h('span', { class: 'subtle' }, ` · ${e.actor.role} ${e.actor.id}`)),
          ),
        ),
      );
      if (entries.length === 0) fill(timelineEl, h('li', { class: 'empty' }, 'Nothing recorded yet.'));
    } catch (err) {
      fill(timelineEl, h('li', { class: 'form-error' }, `Timeline unavailable: ${(err as Error).message}`));
    }
  }

  async function load(): Promise<void> {
    let order = ctx.orders.get(orderId);
    try {
      order = await ctx.api.get<Order>(`/v1/orders/${orderId}`);
      ctx.orders.put(order);
    } catch (err) {
      if (!order) {
        fill(root, h('p', { class: 'form-error' }, `Order ${orderId}: ${(err as Error).message}`));
        return;
      }
    }
    fill(root, header(order), candidatesEl, h('h2', {}, 'Timeline'), timelineEl);
    await Promise.all([loadCandidates(order), loadTimeline(order)]);
  }

  void load();
  return root;
}
