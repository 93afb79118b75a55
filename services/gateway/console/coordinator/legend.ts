import * as L from 'leaflet';
import { h } from '../shared/dom.ts';
import { MARKER_KINDS } from './nurse-store.ts';
import { HEX_COLOURS, NURSE_COLOURS, NURSE_LABELS, ORDER_COLOURS, ORDER_LABELS } from './palette.ts';
import type { OrderGroup } from './order-book.ts';

const SHOWN_ORDER_GROUPS: OrderGroup[] = ['unassigned', 'broadcast', 'waiting', 'assigned', 'done'];

function swatch(colour: string, shape = ''): HTMLElement {
  const s = h('span', { class: `swatch ${shape}`, 'aria-hidden': 'true' });
  s.style.background = colour;
  return s;
}

/** The legend, bottom left: what each colour and shape means, and the supply layer's switch. */
export function addLegend(map: L.Map, onSupplyToggle: (on: boolean) => void): void {
  const Legend = L.Control.extend({
    onAdd() {
      const supply = h('input', { type: 'checkbox', id: 'toggle-supply', checked: true, onchange: (e: Event) => onSupplyToggle((e.target as HTMLInputElement).checked) });
      const el = h(
        'div',
        { class: 'legend', role: 'region', 'aria-label': 'Map legend' },
        h('h4', {}, 'Nurses'),
        ...MARKER_KINDS.filter((k) => k !== 'unknown').map((k) => h('div', {}, swatch(NURSE_COLOURS[k]), NURSE_LABELS[k])),
        h('h4', {}, 'Orders'),
        ...SHOWN_ORDER_GROUPS.map((g) => h('div', {}, swatch(g === 'unassigned' ? '#fff' : ORDER_COLOURS[g], 'diamond'), ORDER_LABELS[g])),
        h('h4', {}, 'Supply vs demand (hexagons)'),
        h('div', {}, swatch(HEX_COLOURS.surplus, 'hex'), 'Nurses available, no open orders'),
        h('div', {}, swatch(HEX_COLOURS.shortage, 'hex'), 'More open orders than nurses'),
        h('div', {}, swatch(HEX_COLOURS.balanced, 'hex'), 'Balanced'),
        h('label', { for: 'toggle-supply' }, supply, 'Show hexagons'),
      );
      L.DomEvent.disableClickPropagation(el);
      L.DomEvent.disableScrollPropagation(el);
      return el;
    },
  });
  new Legend({ position: 'bottomleft' }).addTo(map);
}
