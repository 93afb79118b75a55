import { randomUUID } from 'node:crypto';
import type { CatalogItem, LatLng, OrderCreate } from '@nursing/contracts';
import { pointNear } from './geo-offset.ts';
import { between, pick, weighted, type Rng } from './rng.ts';
import type { SimInstitution } from './fleet.ts';

const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu'];
const GIVEN = ['Fang', 'Min', 'Jing', 'Wei', 'Lei', 'Yan', 'Hui', 'Qiang', 'Jun', 'Xiu'];
const ROADS = ['Century Avenue', 'Nanjing Road', 'Huaihai Road', 'Zhangyang Road', 'Siping Road', 'Hengshan Road'];
const DOCTORS = ['Dr Sun', 'Dr Ma', 'Dr Hu', 'Dr Guo', 'Dr He'];

/** Items needing a certificate are rarer, as in practice (most visits are basic care). */
function itemWeight(item: CatalogItem): number {
  return item.requiredCertification ? 0.4 : 1;
}

/**
 * A coordinator's order: a synthetic patient near the institution, a catalogue item,
 * the first-visit assessment and consent the rules require, a window starting soon.
 * Only catalogue items, no drugs: every order the simulator makes should be accepted.
 */
export function orderRequest(rng: Rng, institution: SimInstitution, items: readonly CatalogItem[], grabShare: number, radiusMetres: number, nowMs: number): OrderCreate {
  const name = `${pick(rng, SURNAMES)} ${pick(rng, GIVEN)}`;
  const location: LatLng = pointNear(institution.location, radiusMetres, rng);
  const item = weighted(rng, items.map((i) => [i, itemWeight(i)] as const));
  const startMs = nowMs + between(rng, 10, 60) * 60_000;
  const assessedAt = new Date(nowMs - between(rng, 1, 48) * 3_600_000).toISOString();
  return {
    patient: {
      id: `sim-p-${randomUUID().slice(0, 8)}`,
      name,
      phone: `139${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
      address: `${Math.floor(between(rng, 1, 999))} ${pick(rng, ROADS)}, Shanghai`,
      location,
    },
    itemCode: item.code,
    mode: rng() < grabShare ? 'grab' : 'push',
    assessment: { doctorName: pick(rng, DOCTORS), assessedAt },
    consent: { recordId: `consent-${randomUUID().slice(0, 12)}`, signedAt: assessedAt, signedBy: name },
    window: { startAt: new Date(startMs).toISOString(), endAt: new Date(startMs + 2 * 3_600_000).toISOString() },
  };
}
