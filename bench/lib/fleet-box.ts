import type { BBox } from '@nursing/geo';

/**
 * Where the simulated fleet walks: central Shanghai, ~28 x 33 km around People's
 * Square, a few coarse (res 5) cells, so a map covering it subscribes to a handful
 * of NATS subjects, as a city coordinator's map does.
 */
export const FLEET_BOX: BBox = { west: 121.32, south: 31.08, east: 121.62, north: 31.38 };

/** Institutions the fleet belongs to (round-robin). */
export const INSTITUTIONS = Array.from({ length: 10 }, (_, i) => `inst${i}`);
