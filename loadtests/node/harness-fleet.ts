import type { LatLng, NurseCreate } from '@nursing/contracts';
import { createNurseClient, type NurseClient } from '@nursing/nurse-client';
import { createApi, type Api } from '../simulator/http-client.ts';
import { createSimTokens, type SimTokens } from '../simulator/tokens.ts';
import { registerFleet } from '../simulator/register-fleet.ts';
import { CITY_CENTRE, pointNear } from '../simulator/geo-offset.ts';
import { seededRng } from '../simulator/rng.ts';

export interface HarnessFleet {
  api: Api;
  tokens: SimTokens;
  institutionId: string;
  nurseIds: string[];
  /** Where each nurse is. Fixed per nurse across scenarios and runs: the gateway refuses fixes implying impossible speeds. */
  homes: LatLng[];
  coordinatorToken: string;
}

/** One institution at the centre and `count` nurses who meet every rule (ids `lt-…`, reused across runs). */
export async function prepareFleet(baseUrl: string, count: number, secret?: string): Promise<HarnessFleet> {
  const api = createApi(baseUrl);
  const tokens = createSimTokens(secret);
  const institutionId = 'lt-inst';
  const rng = seededRng(42);
  const nurses = Array.from({ length: count }, (_, i) => {
    const profile: NurseCreate = {
      id: `lt-n${String(i).padStart(5, '0')}`,
      institutionId,
      name: `Load Nurse ${i}`,
      registrationNumber: `LT${String(i).padStart(8, '0')}`,
      title: 'supervisor_nurse',
      yearsExperience: 10,
      certifications: [],
      specialtyGroups: ['wounds'],
      homeServiceTrained: true,
      suspended: false,
    };
    return { profile, home: pointNear(CITY_CENTRE, 1_500, rng), mode: 'walk' as const, eligible: true };
  });
  await registerFleet(api, tokens.admin(), [{ id: institutionId, name: 'Load-test Centre', kind: 'community_health_centre', location: CITY_CENTRE }], nurses);
  return { api, tokens, institutionId, nurseIds: nurses.map((n) => n.profile.id), homes: nurses.map((n) => n.home), coordinatorToken: tokens.coordinator(institutionId) };
}

/** Connects every nurse (at most 100 sockets opening at a time) and waits until all are open. */
export async function connectNurses(baseUrl: string, fleet: HarnessFleet): Promise<NurseClient[]> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/ws/nurse`;
  const clients: NurseClient[] = [];
  for (let i = 0; i < fleet.nurseIds.length; i += 100) {
    const batch = fleet.nurseIds.slice(i, i + 100).map((id) => createNurseClient({ url, token: fleet.tokens.nurse(id, fleet.institutionId), requestTimeoutMs: 30_000 }));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.ping()));
  }
  return clients;
}

/** A fix a few metres from nurse `i`'s place (GPS jitter), taken now. */
export function fixOf(fleet: HarnessFleet, i: number): { lat: number; lng: number; accuracyM: number; atMs: number } {
  return { ...pointNear(fleet.homes[i] as LatLng, 5, Math.random), accuracyM: 10, atMs: Date.now() };
}

/** A random point near the centre (within `radiusM`). */
export function nearCentre(radiusM: number): LatLng {
  return pointNear(CITY_CENTRE, radiusM, Math.random);
}
