import type * as L from 'leaflet';
import type { CatalogItem, NegativeListItem } from '@nursing/contracts';
import type { Api } from '../shared/api.ts';
import type { Session } from '../shared/session.ts';
import type { NurseMirror } from './nurse-mirror.ts';
import type { OrderBook } from './order-book.ts';
import type { MapCanvas } from './map-canvas.ts';

export interface Catalog {
  items: CatalogItem[];
  negativeList: NegativeListItem[];
  forbiddenDrugClasses: string[];
}

/** What the console's panels share; built once in main.ts. */
export interface ConsoleContext {
  api: Api;
  session: Session;
  map: L.Map;
  /** The nurses on the map as shown (positions live in the live layer's worker). */
  store: NurseMirror;
  orders: OrderBook;
  canvas: MapCanvas;
  catalog: Catalog;
  /** Nurse names from the roster, by id. */
  names: Map<string, string>;
  detail: DetailPane;
  showNurse(id: string): void;
  showOrder(id: string): void;
  showOverview(): void;
  replay(orderId: string): void;
  /** Called after an action changed an order, so derived views refresh at once. */
  ordersChanged(): void;
}

/** The side panel's detail view, shown instead of the order list while open. */
export interface DetailPane {
  show(kind: 'nurse' | 'order' | 'form', id: string, content: HTMLElement): void;
  close(): void;
  readonly current: { kind: string; id: string } | null;
  readonly el: HTMLElement;
}

export function itemName(catalog: Catalog, code: string): string {
  const item = catalog.items.find((i) => i.code === code);
  return item ? item.name : code;
}
