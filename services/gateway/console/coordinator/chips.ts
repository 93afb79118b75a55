import type { Order } from '@nursing/contracts';
import { h } from '../shared/dom.ts';
import { words } from '../shared/format.ts';
import { groupOf } from './order-book.ts';
import { NURSE_COLOURS, NURSE_LABELS, ORDER_COLOURS } from './palette.ts';
import type { MarkerKind } from './nurse-store.ts';

/** An order's state as a coloured chip with the state in words (colour is never the only cue). */
export function stateChip(state: Order['state']): HTMLElement {
  const group = groupOf(state);
  const chip = h('span', { class: `chip state-${state}`, 'data-state': state }, words(state));
  if (group === 'unassigned') {
    chip.classList.add('outline');
    chip.style.color = ORDER_COLOURS.unassigned;
  } else chip.style.background = ORDER_COLOURS[group];
  return chip;
}

export function nurseChip(kind: MarkerKind): HTMLElement {
  const chip = h('span', { class: 'chip', 'data-kind': kind }, NURSE_LABELS[kind]);
  chip.style.background = NURSE_COLOURS[kind];
  if (kind === 'other' || kind === 'offline') chip.style.color = '#1d2530';
  return chip;
}
