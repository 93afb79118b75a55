import type { OrderEvent } from '@nursing/contracts';
import { byId, fill, h } from '../shared/dom.ts';
import { clock, clockSeconds, words } from '../shared/format.ts';
import { itemName, type ConsoleContext } from './context.ts';
import { stateChip } from './chips.ts';
import { groupOf } from './order-book.ts';

const FEED_LENGTH = 60;

/** The side panel's overview: the order list (needs-action first) and the activity feed. */
export function createOverview(ctx: ConsoleContext) {
  const list = byId('orders');
  const feed = byId('feed');
  let queued = false;

  function render(): void {
    queued = false;
    const orders = ctx.orders.sorted().filter((o) => groupOf(o.state) !== 'cancelled');
    if (orders.length === 0) {
      fill(list, h('li', { class: 'empty' }, 'No orders yet. Create one with “New order”.'));
      return;
    }
    fill(
      list,
      ...orders.slice(0, 300).map((o) =>
        h(
          'li',
          { 'data-order': o.id },
          h(
            'button',
            { type: 'button', onclick: () => ctx.showOrder(o.id), 'aria-label': `Order ${o.id}, ${words(o.state)}` },
            h('span', {}, h('strong', {}, itemName(ctx.catalog, o.itemCode)), ' ', h('span', { class: 'subtle' }, o.id)),
            stateChip(o.state),
            h('span', { class: 'meta' }, `${o.mode} · ${clock(o.window.startAt)}–${clock(o.window.endAt)}${o.assignedNurseId ? ` · ${ctx.names.get(o.assignedNurseId) ?? o.assignedNurseId}` : ''}`),
          ),
        ),
      ),
    );
  }

  /** Rendering waits for the next frame so a burst of events re-renders the list once. */
  function schedule(): void {
    if (queued) return;
    queued = true;
    requestAnimationFrame(render);
  }

  function describe(e: OrderEvent): HTMLElement {
    const o = e.order;
    const item = itemName(ctx.catalog, o.itemCode);
    const who = e.nurseId ? (ctx.names.get(e.nurseId) ?? e.nurseId) : '';
    const text: Record<string, string> = {
      broadcast: `Grab broadcast: ${item} (${o.id})`,
      grabbed: `${who} grabbed ${item} (${o.id})`,
      accepted: `${who} accepted ${item} (${o.id})`,
      assigned: `${who} was assigned ${item} (${o.id})`,
      offered: `Offered ${item} (${o.id}) to ${who}`,
      declined: `${who} declined ${o.id}`,
      unassigned: `Nobody took ${item} (${o.id}): needs a decision`,
      cancelled: `${o.id} cancelled`,
      dispatching: `New order ${item} (${o.id}), ${o.mode}`,
    };
    const line = text[e.event] ?? `${o.id}: ${words(e.event)}${who ? ` (${who})` : ''}`;
    return h(
      'li',
      { class: e.event, 'data-event': e.event, 'data-order': o.id },
      h('time', { datetime: e.at }, clockSeconds(e.at)),
      h('button', { type: 'button', class: 'link', onclick: () => ctx.showOrder(o.id) }, line),
    );
  }

  return {
    render: schedule,
    event(e: OrderEvent): void {
      feed.prepend(describe(e));
      while (feed.children.length > FEED_LENGTH) feed.lastElementChild?.remove();
      schedule();
    },
    /** A line in the feed for something that is not an order event (e.g. an alarm). */
    note(text: string, cls = ''): void {
      feed.prepend(h('li', { class: cls }, h('time', {}, clockSeconds(Date.now())), text));
    },
  };
}

export type Overview = ReturnType<typeof createOverview>;
