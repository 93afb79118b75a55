/** A catalogue item's code and planned duration, as in the contracts' CatalogItem. */
export interface ItemDuration {
  code: string;
  expectedDurationMin: number;
}

/**
 * How long a visit for an item is expected to take. Items the service was not given
 * (or a catalogue not given at all) take `fallbackMs`, which defaults to the longest
 * catalogue visit so that an unknown item never raises an early, false overdue alarm.
 */
export function visitDurations(items: readonly ItemDuration[], fallbackMs: number): (itemCode: string) => number {
  const byCode = new Map(items.map((i) => [i.code, i.expectedDurationMin * 60_000]));
  return (itemCode) => byCode.get(itemCode) ?? fallbackMs;
}
