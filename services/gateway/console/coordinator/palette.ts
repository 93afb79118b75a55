import type { MarkerKind } from './nurse-store.ts';
import type { OrderGroup } from './order-book.ts';

/**
 * Colours of the live map, chosen to stay apart for the common colour-vision
 * deficiencies and on both tiles and the plain background; the legend shows them
 * with words, and orders differ from nurses by shape (diamond vs dot) as well.
 */
export const NURSE_COLOURS: Record<MarkerKind, string> = {
  available: '#12946b',
  busy: '#d99a00',
  visit: '#2f67d8',
  offline: '#8d939b',
  alarm: '#d8232a',
  other: '#c4c9cf',
  unknown: '#5d6b7c',
};

export const NURSE_LABELS: Record<MarkerKind, string> = {
  available: 'Available',
  busy: 'Busy',
  visit: 'On a visit',
  offline: 'Offline',
  alarm: 'Alarm',
  other: 'Other institution',
  unknown: 'Status unknown',
};

export const ORDER_COLOURS: Record<OrderGroup, string> = {
  waiting: '#ef7d00',
  broadcast: '#9b3fd0',
  unassigned: '#d8232a',
  assigned: '#2f67d8',
  done: '#7b8590',
  cancelled: '#b0b6bd',
};

export const ORDER_LABELS: Record<OrderGroup, string> = {
  waiting: 'Being offered',
  broadcast: 'Grab broadcast open',
  unassigned: 'Unassigned: needs you',
  assigned: 'Nurse assigned',
  done: 'Completed',
  cancelled: 'Cancelled',
};

/** Supply/demand hexagons: blue where nurses outnumber open orders, red where orders wait for nurses. */
export const HEX_COLOURS = { surplus: '#2f67d8', shortage: '#d8232a', balanced: '#7b8590' };
