import type { LatLng, TokenClaims } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { CENTRE, offset, orderBody, qualifiedNurse } from '../../services/dispatch/test/fixtures.ts';
import { httpJson } from '../lib/http-json.ts';
import { openMany } from '../lib/raw-ws/raw-ws-client.ts';
import { int } from '../lib/ticker.ts';

export { CENTRE, offset, orderBody };

export const CITY_INSTITUTION = 'i1';

/**
 * A city for dispatch benchmarks, built through dispatch's own HTTP API as an admin
 * and the nurses themselves would: one institution at People's Square and `nurses`
 * qualified nurses, available, positioned at random within `radiusM` of it. Returns
 * the nurse ids once dispatch's in-process index has every one of them (it learns
 * them over NATS, so a benchmark must not start earlier).
 */
export async function seedCity(input: {
  baseUrl: string;
  sign: (claims: TokenClaims) => string;
  nurses: number;
  radiusM: number;
  random: () => number;
  say: (line: string) => void;
}): Promise<string[]> {
  const { baseUrl, sign, random, say } = input;
  const admin = sign({ sub: 'bench-admin', role: 'admin' });
  await httpJson(baseUrl, 'POST', '/v1/institutions', admin, { id: CITY_INSTITUTION, name: 'Bench centre', kind: 'community_health_centre', location: CENTRE }, [201, 409]);
  const ids = Array.from({ length: input.nurses }, (_, i) => `c${i}`);
  const places: LatLng[] = ids.map(() => offset(CENTRE, input.radiusM * Math.sqrt(random()), random() * 360));
  let shown = 0;
  await openMany(
    ids.length,
    32,
    async (i) => {
      const id = ids[i]!;
      const own = sign({ sub: id, role: 'nurse', institution: CITY_INSTITUTION });
      await httpJson(baseUrl, 'POST', '/v1/nurses', admin, qualifiedNurse(id, CITY_INSTITUTION), 201);
      await httpJson(baseUrl, 'PUT', `/v1/nurses/${id}/status`, own, { status: 'available' }, 204);
      await httpJson(baseUrl, 'PUT', `/v1/nurses/${id}/location`, own, { ...places[i]!, accuracyM: 10, atMs: Date.now() }, 204);
    },
    (done) => {
      if (done - shown >= 500 || done === ids.length) say(`seeded ${int((shown = done))} / ${int(ids.length)} nurses`);
    },
  );

  // A probe order at the centre: its candidate list shows what the index knows. Cancelled afterwards.
  const coordinator = sign({ sub: 'bench-coord', role: 'coordinator', institution: CITY_INSTITUTION });
  const probe = await httpJson<{ id: string }>(baseUrl, 'POST', '/v1/orders', coordinator, orderBody(CENTRE), 201);
  await waitFor(
    async () => {
      const c = await httpJson<{ eligible: unknown[] }>(baseUrl, 'GET', `/v1/orders/${probe.id}/candidates`, coordinator);
      // The probe's offered nurse is no longer a candidate for it.
      return c.eligible.length >= ids.length - 1;
    },
    { timeoutMs: 30_000, intervalMs: 200, message: `dispatch's index to hold all ${ids.length} nurses` },
  );
  await httpJson(baseUrl, 'POST', `/v1/orders/${probe.id}/cancel`, coordinator, { reason: 'benchmark probe' });
  return ids;
}

/** A point at most `radiusM` from the centre, uniform over the disc. */
export function randomPlace(random: () => number, radiusM: number): LatLng {
  return offset(CENTRE, radiusM * Math.sqrt(random()), random() * 360);
}
