import * as L from 'leaflet';
import type { Order } from '@nursing/contracts';
import { ApiError } from '../shared/api.ts';
import { fill, h } from '../shared/dom.ts';
import { words } from '../shared/format.ts';
import type { Catalog, ConsoleContext } from './context.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The same normalisation dispatch applies before checking the negative list. */
function normalise(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Which form field a JSON pointer of the API's `details.problems` belongs to. */
function fieldOfPath(path: string): string {
  const map: [string, string][] = [
    ['/itemCode', 'item'],
    ['/mode', 'mode'],
    ['/patient/id', 'patient-id'],
    ['/patient/name', 'patient-name'],
    ['/patient/phone', 'patient-phone'],
    ['/patient/address', 'patient-address'],
    ['/patient/location', 'patient-lat'],
    ['/window/endAt', 'window-end'],
    ['/window', 'window-start'],
    ['/assessment', 'assessment-doctor'],
    ['/consent', 'consent-record'],
    ['/drugs', 'drugs'],
    ['/procedures', 'procedures'],
    ['/notes', 'notes'],
  ];
  return map.find(([prefix]) => path.startsWith(prefix))?.[1] ?? '';
}

/** Client-side check of the catalogue's rules, so the coordinator sees a refusal before sending. */
export function checkAgainstCatalog(catalog: Catalog, form: { itemCode: string; procedures: string[]; drugs: { name: string; drugClass?: string }[] }): Record<string, string> {
  const errors: Record<string, string> = {};
  const negative = (code: string) => catalog.negativeList.find((n) => n.code === normalise(code) || normalise(n.name) === normalise(code));
  const itemNegative = negative(form.itemCode);
  if (itemNegative) errors['item'] = `${itemNegative.name} is on the negative list: ${itemNegative.reason}`;
  else if (!catalog.items.some((i) => i.code === form.itemCode)) errors['item'] = 'Choose an item of the service catalogue.';
  const bad = form.procedures.map(negative).filter((n) => n !== undefined);
  if (bad.length) errors['procedures'] = bad.map((n) => `${n.name} (${n.nameZh}) may not be done at home: ${n.reason}`).join(' ');
  const forbidden = form.drugs.filter((d) => d.drugClass && catalog.forbiddenDrugClasses.includes(normalise(d.drugClass)));
  if (forbidden.length) errors['drugs'] = forbidden.map((d) => `“${d.name}” may not be brought to a home visit (${words(d.drugClass ?? '')}).`).join(' ');
  return errors;
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * The new-order form: catalogue items only, the negative list and forbidden drug
 * classes checked as the coordinator types and again by dispatch, and every refusal
 * shown next to the field it is about.
 */
export function renderOrderForm(ctx: ConsoleContext): HTMLElement {
  const errors = new Map<string, HTMLElement>();
  const controls = new Map<string, Control>();
  const formError = h('p', { class: 'form-error', role: 'alert', id: 'form-error' });

  function field(id: string, label: string, control: Control, hint?: string): HTMLElement {
    control.id = id;
    control.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
    const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
    errors.set(id, error);
    controls.set(id, control);
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, error);
  }

  const center = ctx.map.getCenter();
  const now = Date.now();
  const byCategory = new Map<string, Catalog['items']>();
  for (const item of ctx.catalog.items) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  const item = h(
    'select',
    {},
    h('option', { value: '' }, 'Choose a catalogue item…'),
    ...[...byCategory].map(([category, items]) =>
      h('optgroup', { label: words(category) }, ...items.map((i) => h('option', { value: i.code }, `${i.name} · ${i.nameZh} · ¥${i.feeYuan}${i.requiredCertification ? ` · needs ${words(i.requiredCertification)} certification` : ''}`))),
    ),
  );
  const mode = h('select', {}, h('option', { value: 'push' }, 'Push: offer to the best nurse, then the next'), h('option', { value: 'grab' }, 'Grab: broadcast, the first nurse to grab wins'));
  const lat = h('input', { inputmode: 'decimal', value: center.lat.toFixed(5) });
  const lng = h('input', { inputmode: 'decimal', value: center.lng.toFixed(5) });
  const pin = L.circleMarker(center, { radius: 8, color: '#111', weight: 2, fillColor: '#ffd400', fillOpacity: 0.9, interactive: false }).addTo(ctx.map);
  const movePin = () => {
    const p = L.latLng(Number(lat.value), Number(lng.value));
    if (Number.isFinite(p.lat) && Number.isFinite(p.lng)) pin.setLatLng(p);
  };
  lat.addEventListener('input', movePin);
  lng.addEventListener('input', movePin);
  const pick = h(
    'button',
    {
      type: 'button',
      class: 'small',
      onclick: () => {
        document.body.classList.add('picking');
        ctx.map.getContainer().style.cursor = 'crosshair';
        ctx.map.once('click', (e: L.LeafletMouseEvent) => {
          lat.value = e.latlng.lat.toFixed(5);
          lng.value = e.latlng.lng.toFixed(5);
          movePin();
          ctx.map.getContainer().style.cursor = '';
          setTimeout(() => document.body.classList.remove('picking'), 0);
        });
      },
    },
    'Pick on map',
  );
  const drugs = h('textarea', { rows: 2, placeholder: 'One per line: name, class (e.g. Heparin flush, anticoagulant)' });

  const form = h(
    'form',
    { class: 'order-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('div', { class: 'detail-head' }, h('h3', { id: 'form-title' }, 'New order')),
    field('item', 'Catalogue item', item),
    field('mode', 'Dispatch mode', mode),
    h('h2', {}, 'Patient'),
    h('div', { class: 'grid-2' }, field('patient-id', 'Patient id', h('input', { value: `p-${Math.random().toString(36).slice(2, 8)}` })), field('patient-name', 'Name', h('input', { autocomplete: 'off' }))),
    field('patient-phone', 'Phone', h('input', { inputmode: 'tel', autocomplete: 'off' })),
    field('patient-address', 'Address', h('input', { autocomplete: 'off' })),
    h('div', { class: 'grid-2' }, field('patient-lat', 'Latitude', lat), field('patient-lng', 'Longitude', lng)),
    h('div', { class: 'button-row' }, pick),
    h('h2', {}, 'Visit window'),
    h('div', { class: 'grid-2' }, field('window-start', 'From', h('input', { type: 'datetime-local', value: localInput(now + 3_600_000) })), field('window-end', 'To', h('input', { type: 'datetime-local', value: localInput(now + 3 * 3_600_000) }))),
    h('h2', {}, 'First-visit assessment and consent'),
    h('div', { class: 'grid-2' }, field('assessment-doctor', 'Assessing doctor', h('input', {})), field('assessment-at', 'Assessed at', h('input', { type: 'datetime-local', value: localInput(now) }))),
    h('div', { class: 'grid-2' }, field('consent-record', 'Consent record no.', h('input', {})), field('consent-by', 'Signed by', h('input', {}))),
    h('h2', {}, 'Prescription'),
    field('procedures', 'Extra procedures', h('input', { placeholder: 'comma-separated' }), 'Checked against the negative list (e.g. blood transfusion is refused).'),
    field('drugs', 'Drugs brought along', drugs, `Refused classes: ${ctx.catalog.forbiddenDrugClasses.map(words).join(', ')}.`),
    field('notes', 'Notes', h('textarea', { rows: 2 })),
    formError,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary', id: 'create-order' }, 'Create order')),
  );

  const value = (id: string) => controls.get(id)!.value.trim();
  const iso = (id: string) => (value(id) ? new Date(value(id)).toISOString() : '');

  function read() {
    const drugList = drugs.value
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name, drugClass] = l.split(',').map((s) => s.trim());
        return { name: name ?? l, ...(drugClass ? { drugClass } : {}) };
      });
    const procedures = value('procedures').split(',').map((s) => s.trim()).filter(Boolean);
    return {
      body: {
        patient: { id: value('patient-id'), name: value('patient-name'), phone: value('patient-phone'), address: value('patient-address'), location: { lat: Number(value('patient-lat')), lng: Number(value('patient-lng')) } },
        itemCode: value('item'),
        mode: value('mode'),
        window: { startAt: iso('window-start'), endAt: iso('window-end') },
        ...(value('assessment-doctor') ? { assessment: { doctorName: value('assessment-doctor'), assessedAt: iso('assessment-at') || new Date().toISOString() } } : {}),
        ...(value('consent-record') ? { consent: { recordId: value('consent-record'), signedAt: new Date().toISOString(), signedBy: value('consent-by') || value('patient-name') } } : {}),
        ...(drugList.length ? { drugs: drugList } : {}),
        ...(procedures.length ? { procedures } : {}),
        ...(value('notes') ? { notes: value('notes') } : {}),
      },
      drugs: drugList,
      procedures,
    };
  }

  function show(fieldErrors: Record<string, string>, general = ''): void {
    for (const [id, el] of errors) {
      const message = fieldErrors[id] ?? '';
      fill(el, message);
      controls.get(id)?.setAttribute('aria-invalid', message ? 'true' : 'false');
    }
    fill(formError, general);
    const first = Object.keys(fieldErrors)[0];
    if (first) controls.get(first)?.focus();
  }

  // Checked as the coordinator types (on input, not on blur: a message vanishing on
  // blur would move the submit button between mouse down and up), so a refused
  // procedure is flagged before submitting.
  for (const id of ['item', 'procedures', 'drugs']) {
    controls.get(id)!.addEventListener(id === 'item' ? 'change' : 'input', () => {
      const { procedures, drugs: drugList } = read();
      const found = checkAgainstCatalog(ctx.catalog, { itemCode: value('item') || '-', procedures, drugs: drugList });
      fill(errors.get(id)!, id === 'item' && !value('item') ? '' : (found[id] ?? ''));
      controls.get(id)!.setAttribute('aria-invalid', found[id] && (id !== 'item' || value('item')) ? 'true' : 'false');
    });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const { body, procedures, drugs: drugList } = read();
      const local = checkAgainstCatalog(ctx.catalog, { itemCode: body.itemCode, procedures, drugs: drugList });
      if (!body.patient.name) local['patient-name'] = 'Required.';
      if (!body.patient.address) local['patient-address'] = 'Required.';
      if (!/^[0-9+() -]{5,20}$/.test(body.patient.phone)) local['patient-phone'] = 'A phone number: digits, spaces, + ( ) -, 5 to 20 characters.';
      if (Object.keys(local).length) return show(local);
      try {
        const order = await ctx.api.post<Order>('/v1/orders', body);
        ctx.orders.put(order);
        ctx.ordersChanged();
        pin.remove();
        ctx.showOrder(order.id);
      } catch (err) {
        if (!(err instanceof ApiError)) return show({}, String(err));
        const fieldErrors: Record<string, string> = {};
        for (const p of err.problems) {
          const id = fieldOfPath(p.path);
          if (id) fieldErrors[id] = `${fieldErrors[id] ? `${fieldErrors[id]} ` : ''}${p.message}`;
        }
        const byCode: Record<string, string> = {
          UNKNOWN_CATALOG_ITEM: 'item',
          FORBIDDEN_DRUG: 'drugs',
          ASSESSMENT_MISSING: 'assessment-doctor',
          CONSENT_MISSING: 'consent-record',
        };
        let id = byCode[err.code];
        if (err.code === 'NEGATIVE_LIST_ITEM') {
          const codes = ((err.details as { items?: { code: string }[] } | undefined)?.items ?? []).map((i) => i.code);
          id = codes.includes(normalise(body.itemCode)) ? 'item' : 'procedures';
        }
        if (id) fieldErrors[id] = err.message;
        show(fieldErrors, Object.keys(fieldErrors).length ? '' : `${err.message} (${err.code})`);
      }
    })();
  });

  // The pin leaves with the form.
  const observer = new MutationObserver(() => {
    if (!form.isConnected) {
      pin.remove();
      observer.disconnect();
    }
  });
  queueMicrotask(() => observer.observe(document.body, { childList: true, subtree: true }));
  return form;
}
