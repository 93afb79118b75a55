import { describe, expect, it } from 'vitest';
import type { Availability, NursePosition } from '@nursing/contracts';
import { mapPositionHead, mapPositionTail, toMapPosition } from '../../src/fanout/map-position.ts';

describe('a map position written as text for shared frames', () => {
  const positions: NursePosition[] = [
    { nurseId: 'n-1', lat: 31.2304, lng: 121.4737, atMs: 1_765_000_000_123 },
    { nurseId: 'n-"quoted"', lat: -0.000001, lng: 1e-7, atMs: 0, accuracyM: 8, headingDeg: 90, speedMps: 1.5 },
    { nurseId: 'n-3', lat: 90, lng: -180, atMs: 42 },
  ];
  const statuses: Array<Availability | undefined> = [undefined, 'available', 'busy', 'offline'];

  it('is exactly JSON.stringify of what toMapPosition gives, for her own institution, another, and admins', () => {
    for (const p of positions) {
      for (const status of statuses) {
        for (const viewer of ['inst-a', 'inst-b', null]) {
          const text = mapPositionHead(p.nurseId, 'inst-a', viewer) + mapPositionTail(p, status);
          expect(text).toBe(JSON.stringify(toMapPosition(p, 'inst-a', viewer, status)));
        }
      }
    }
  });
});
