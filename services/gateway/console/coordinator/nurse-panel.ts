import type { Nurse, Order } from '@nursing/contracts';
import { fill, h } from '../shared/dom.ts';
import { ago, clock, words } from '../shared/format.ts';
import { itemName, type ConsoleContext } from './context.ts';
import { nurseChip, stateChip } from './chips.ts';
import { groupOf } from './order-book.ts';

const TITLE_LABELS: Record<string, string> = {
  nurse: 'Nurse 护士',
  nurse_practitioner: 'Nurse Practitioner 护师',
  supervisor_nurse: 'Supervisor Nurse 主管护师',
  associate_chief_nurse: 'Associate Chief Nurse 副主任护师',
  chief_nurse: 'Chief Nurse 主任护师',
};

/** Orders are looked for among those created this far back; a visit is "today's" by its window. */
const VISIT_LOOKBACK_MS = 3 * 86_400_000;

function isToday(iso: string): boolean {
  return new Date(iso).toDateString() === new Date().toDateString();
}

/** A nurse's detail: her profile, where she is, her current order and today's visits. */
export function renderNursePanel(ctx: ConsoleContext, nurseId: string): HTMLElement {
  const root = h('section', { class: 'nurse-panel', 'aria-labelledby': 'nurse-title', 'data-nurse': nurseId }, h('p', { class: 'empty' }, 'Loading…'));

  function positionText(): string {
    const i = ctx.store.index(nurseId);
    if (i === undefined) return 'no position on this map';
    return `${ctx.store.lat[i]!.toFixed(5)}, ${ctx.store.lng[i]!.toFixed(5)} · ${ago(ctx.store.atMs[i]!)}`;
  }

  async function load(): Promise<void> {
    let nurse: Nurse | undefined;
    let error = '';
    try {
      nurse = await ctx.api.get<Nurse>(`/v1/nurses/${nurseId}`);
      ctx.names.set(nurseId, nurse.name);
    } catch (err) {
      error = (err as Error).message;
    }
    let visits: Order[] = [];
    try {
      const reply = await ctx.api.get<{ orders: Order[] }>('/v1/orders', { nurseId, from: new Date(Date.now() - VISIT_LOOKBACK_MS).toISOString(), limit: 1000 });
      visits = reply.orders.filter((o) => isToday(o.window.startAt) || (o.acceptedAt !== undefined && isToday(o.acceptedAt)));
      for (const o of reply.orders) ctx.orders.put(o);
    } catch (err) {
      error ||= (err as Error).message;
    }
    const current = ctx.orders.currentOf(nurseId);
    const kind = ctx.store.kindOf(nurseId) ?? 'unknown';

    const facts: [string, Node | string][] = [['Status', nurseChip(kind)], ['Position', positionText()]];
    if (nurse) {
      facts.push(
        ['Title', TITLE_LABELS[nurse.title] ?? nurse.title],
        ['Experience', `${nurse.yearsExperience} years`],
        ['Registration', nurse.registrationNumber],
        ['Certifications', nurse.certifications.length ? nurse.certifications.map((c) => `${words(c.code)} (until ${c.expiresOn})`).join(', ') : 'none'],
        ['Specialty groups', nurse.specialtyGroups.join(', ') || '—'],
        ['Home-service trained', nurse.homeServiceTrained ? 'yes' : 'no'],
      );
      if (nurse.suspended) facts.push(['Suspended', 'yes: may not be offered orders']);
      if (nurse.ratingCount) facts.push(['Rating', `${(nurse.ratingSum / nurse.ratingCount).toFixed(1)} (${nurse.ratingCount})`]);
    }
    fill(
      root,
      h('div', { class: 'detail-head' }, h('h3', { id: 'nurse-title' }, nurse ? `${nurse.name}` : `Nurse ${nurseId}`), h('span', { class: 'subtle' }, nurseId)),
      error ? h('p', { class: 'form-error' }, error) : null,
      h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('h2', {}, 'Current order'),
      current
        ? h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => ctx.showOrder(current.id) }, `${itemName(ctx.catalog, current.itemCode)} (${current.id})`), ' ', stateChip(current.state))
        : h('p', { class: 'empty' }, 'None.'),
      h('h2', {}, `Today's visits (${visits.length})`),
      visits.length
        ? h(
            'ul',
            { class: 'visits' },
            ...visits.map((o) =>
              h(
                'li',
                { 'data-order': o.id },
                h('span', {}, `${clock(o.window.startAt)} ${itemName(ctx.catalog, o.itemCode)}`),
                stateChip(o.state),
                h('button', { type: 'button', class: 'small', onclick: () => ctx.showOrder(o.id) }, 'Open'),
                groupOf(o.state) === 'done' ? h('button', { type: 'button', class: 'small', onclick: () => ctx.replay(o.id) }, 'Replay') : null,
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'No visits today.'),
    );
  }

  void load();
  return root;
}
