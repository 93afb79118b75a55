import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LatLng } from '@nursing/contracts';

/**
 * Nurses' last positions, kept between runs. The gateway refuses a fix that implies
 * an impossible speed since the nurse's previous one, so a rerun must start each nurse
 * where the last run left her, not back at home. Keyed by base URL and nurse id.
 */
export function createPositionMemory(file: string, baseUrl: string) {
  let all: Record<string, Record<string, LatLng>> = {};
  if (file) {
    try {
      all = JSON.parse(readFileSync(file, 'utf8')) as typeof all;
    } catch {
      all = {};
    }
  }
  const mine = (all[baseUrl] ??= {});
  return {
    get: (nurseId: string): LatLng | undefined => mine[nurseId],
    save(positions: Map<string, LatLng>): void {
      if (!file) return;
      for (const [id, p] of positions) mine[id] = { lat: p.lat, lng: p.lng };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(all));
    },
  };
}
