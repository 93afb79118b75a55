import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destination } from '@turf/turf';
import type { LatLng } from '@nursing/contracts';
import { distanceMeters, fromLngLat, toLngLat } from '@nursing/geo';
import { institutionsWithin } from '../../src/registry/nearby-institutions.ts';
import { bearer } from '../harness.ts';
import { institution, seedInstitution, startRegistryTestApp, type RegistryTestApp } from './registry-test-app.ts';

// Shenyang, where the 10 km rule comes from.
const PATIENT: LatLng = { lat: 41.8057, lng: 123.4315 };

/** The point `meters` from the patient on `bearingDeg` (turf: [lng, lat], metres). */
function away(meters: number, bearingDeg: number): LatLng {
  return fromLngLat(destination(toLngLat(PATIENT), meters, bearingDeg, { units: 'meters' }).geometry.coordinates);
}

let t: RegistryTestApp;
beforeAll(async () => {
  t = await startRegistryTestApp();
});
afterAll(() => t?.close());

describe('institutions', () => {
  it('are registered by admins only, once per id', async () => {
    const inst = institution('inst-a', PATIENT);
    const cases: [string, string, number, string?][] = [
      ['coordinator', t.tokens.coordinator('inst-a'), 403, 'FORBIDDEN'],
      ['nurse', t.tokens.nurse('n1', 'inst-a'), 403, 'FORBIDDEN'],
      ['admin', t.tokens.admin(), 201],
      ['admin again', t.tokens.admin(), 409, 'ALREADY_EXISTS'],
    ];
    for (const [who, token, status, code] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/institutions', headers: bearer(token), payload: inst });
      expect(res.statusCode, who).toBe(status);
      if (code) expect(res.json().error.code, who).toBe(code);
      else expect(res.json(), who).toEqual(inst);
    }
  });

  it('refuses a malformed institution with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/institutions',
      headers: bearer(t.tokens.admin()),
      payload: { id: 'bad id', name: '', kind: 'spa', location: { lat: 95, lng: 0 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.app.inject({ url: '/v1/institutions', headers: bearer(t.tokens.admin()) })).json().items.map((i: { id: string }) => i.id)).not.toContain(
      'bad id',
    );
  });

  it('are readable by any signed-in role, one or all', async () => {
    await seedInstitution(t, institution('inst-b', away(3_000, 0)));
    for (const token of [t.tokens.security(), t.tokens.nurse('n1', 'inst-a'), t.tokens.coordinator('inst-z')]) {
      const one = await t.app.inject({ url: '/v1/institutions/inst-b', headers: bearer(token) });
      expect(one.statusCode).toBe(200);
      expect(one.json().id).toBe('inst-b');
      const all = await t.app.inject({ url: '/v1/institutions', headers: bearer(token) });
      expect(all.json().items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(['inst-a', 'inst-b']));
    }
    const missing = await t.app.inject({ url: '/v1/institutions/nope', headers: bearer(t.tokens.admin()) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'NOT_FOUND', message: 'institution nope not found' });
    expect((await t.app.inject({ url: '/v1/institutions/inst-b' })).statusCode).toBe(401);
  });
});

describe('institutions near a discharged patient (10 km, Shenyang)', () => {
  // Bearings vary so the boundary holds in every direction, not just along a meridian.
  const placed: [string, number, number][] = [
    ['near-9990', 9_990, 45],
    ['far-10010', 10_010, 45],
    ['near-5000', 5_000, 200],
    ['near-9990-west', 9_990, 270],
    ['far-10010-south', 10_010, 180],
    ['far-30000', 30_000, 90],
    ['near-1000', 1_000, 120],
  ];

  beforeAll(async () => {
    for (const [id, meters, bearing] of placed) await seedInstitution(t, institution(id, away(meters, bearing)));
  });

  it('lists every institution within 10 km, nearest first, with its distance', async () => {
    const res = await t.app.inject({ url: `/v1/institutions/nearby?lat=${PATIENT.lat}&lng=${PATIENT.lng}`, headers: bearer(t.tokens.nurse('n1', 'inst-a')) });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { radiusMeters: number; items: { id: string; distanceMeters: number; location: LatLng; name: string }[] };
    expect(body.radiusMeters).toBe(10_000);
    // inst-a sits on the patient too (from the first describe); inst-b is 3 km north.
    expect(body.items.map((i) => i.id)).toEqual(['inst-a', 'near-1000', 'inst-b', 'near-5000', expect.any(String), expect.any(String)]);
    expect(new Set(body.items.slice(4).map((i) => i.id))).toEqual(new Set(['near-9990', 'near-9990-west']));
    for (const item of body.items) {
      expect(item.distanceMeters).toBeCloseTo(distanceMeters(PATIENT, item.location), 6);
      expect(item.name).toContain(item.id);
    }
    expect(body.items.find((i) => i.id === 'near-9990')?.distanceMeters).toBeCloseTo(9_990, 0);
  });

  it('includes an institution exactly on the radius (inclusive, same haversine as @nursing/geo)', () => {
    const edge = institution('edge', away(10_000, 10));
    const exact = distanceMeters(PATIENT, edge.location);
    expect(institutionsWithin([edge], PATIENT, exact).map((i) => i.id)).toEqual(['edge']);
    expect(institutionsWithin([edge], PATIENT, exact - 1e-6)).toEqual([]);
  });

  it.each([
    ['lat out of range', 'lat=91&lng=123'],
    ['lng missing', 'lat=41.8'],
    ['not a number', 'lat=north&lng=123'],
  ])('refuses %s with 400', async (_case, query) => {
    const res = await t.app.inject({ url: `/v1/institutions/nearby?${query}`, headers: bearer(t.tokens.admin()) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('API documentation', () => {
  it('lists every registry and catalogue route', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/institutions',
        '/v1/institutions/nearby',
        '/v1/institutions/{id}',
        '/v1/nurses',
        '/v1/nurses/{id}',
        '/v1/nurses/{id}/location',
        '/v1/nurses/{id}/status',
        '/v1/catalog',
      ]),
    );
    expect(doc.paths['/v1/nurses/{id}/status'].put.responses['204']).toBeDefined();
  });
});
