import { expect } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Availability, LatLng, NurseCreate, NurseInboxMessage, OrderEvent } from '@nursing/contracts';
import { waitFor } from '@nursing/testing';
import { bearer, type DispatchTestApp } from './harness.ts';
import { CENTRE, offset, qualifiedNurse } from './fixtures.ts';

export interface SeededNurse {
  nurse: NurseCreate;
  at?: LatLng;
  status?: Availability;
  /** How old her position is, ms. */
  positionAgeMs?: number;
}

/** Registers an institution and nurses through the HTTP API, as an admin and the nurses themselves would. */
export async function seedCity(t: DispatchTestApp, institutionId: string, nurses: SeededNurse[], location: LatLng = CENTRE): Promise<void> {
  const admin = bearer(t.tokens.admin());
  const inst = await t.app.inject({ method: 'POST', url: '/v1/institutions', headers: admin, payload: { id: institutionId, name: `Centre ${institutionId}`, kind: 'community_health_centre', location } });
  expect([201, 409]).toContain(inst.statusCode);
  for (const s of nurses) {
    const created = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: admin, payload: s.nurse });
    expect(created.statusCode, created.body).toBe(201);
    const own = bearer(t.tokens.nurse(s.nurse.id, s.nurse.institutionId));
    if (s.status) {
      const r = await t.app.inject({ method: 'PUT', url: `/v1/nurses/${s.nurse.id}/status`, headers: own, payload: { status: s.status } });
      expect(r.statusCode, r.body).toBe(204);
    }
    if (s.at) {
      const r = await t.app.inject({
        method: 'PUT',
        url: `/v1/nurses/${s.nurse.id}/location`,
        headers: own,
        payload: { lat: s.at.lat, lng: s.at.lng, accuracyM: 10, atMs: Date.now() - (s.positionAgeMs ?? 0) },
      });
      expect(r.statusCode, r.body).toBe(204);
    }
  }
}

export function available(nurse: NurseCreate, at: LatLng, extra: Partial<SeededNurse> = {}): SeededNurse {
  return { nurse, at, status: 'available', ...extra };
}

export { qualifiedNurse };

/** Seeds `count` available qualified nurses `<prefix>0..`, spread 100 m to 9 km around CENTRE (a crowd for storms and races). */
export async function seedCrowd(t: DispatchTestApp, institutionId: string, prefix: string, count: number): Promise<void> {
  const crowd = Array.from({ length: count }, (_, i) => available(qualifiedNurse(`${prefix}${i}`, institutionId), offset(CENTRE, 100 + (i % 90) * 100, (i * 37) % 360)));
  await seedCity(t, institutionId, crowd);
}

/** Records what NATS delivers to nurses' inboxes and coordinators' order subjects. */
export async function listen(t: DispatchTestApp) {
  const nc: NatsConnection = await connect({ servers: t.natsUrl });
  const inbox: { nurseId: string; message: NurseInboxMessage }[] = [];
  const events: OrderEvent[] = [];
  const decoder = new TextDecoder();
  nc.subscribe(`${t.ns}.nurse.*.inbox`, {
    callback: (_e, m) => {
      inbox.push({ nurseId: m.subject.split('.')[2] as string, message: JSON.parse(decoder.decode(m.data)) });
    },
  });
  nc.subscribe(`${t.ns}.order.*.*`, {
    callback: (_e, m) => {
      events.push(JSON.parse(decoder.decode(m.data)));
    },
  });
  await nc.flush();
  return {
    inbox,
    events,
    raw: () => JSON.stringify(inbox),
    async next<T extends NurseInboxMessage['type']>(nurseId: string, type: T, orderId: string) {
      return waitFor(() => inbox.find((i) => i.nurseId === nurseId && i.message.type === type && 'orderId' in i.message && i.message.orderId === orderId), {
        timeoutMs: 5_000,
        message: `${type} to ${nurseId}`,
      });
    },
    close: () => nc.close(),
  };
}

/** Waits until the dispatch index has seen every seeded nurse (they arrive over NATS). */
export async function untilIndexed(t: DispatchTestApp, orderId: string, eligibleCount: number): Promise<void> {
  const coord = bearer(t.tokens.coordinator('i1'));
  await waitFor(async () => {
    const r = await t.app.inject({ url: `/v1/orders/${orderId}/candidates`, headers: coord });
    return r.json().eligible?.length === eligibleCount;
  }, { timeoutMs: 5_000, message: `${eligibleCount} eligible candidates` });
}
