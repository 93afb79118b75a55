import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Nurse } from '@nursing/contracts';
import { createNurseRepository } from '../../src/registry/nurse-repository.ts';
import { bearer } from '../harness.ts';
import { institution, nurseCreate, seedInstitution, seedNurse, startRegistryTestApp, type RegistryTestApp } from './registry-test-app.ts';

let t: RegistryTestApp;
// A second connection stands in for another dispatch instance listening for registry changes.
let listener: NatsConnection;

/** Runs `action` and returns the first message it caused on `subject`. */
async function firstMessage(subject: string, action: () => Promise<unknown>): Promise<unknown> {
  const sub = listener.subscribe(subject, { max: 1, timeout: 2_000 });
  await listener.flush();
  await action();
  for await (const msg of sub) return msg.json();
  throw new Error(`no message on ${subject}`);
}

beforeAll(async () => {
  t = await startRegistryTestApp();
  listener = await connect({ servers: t.natsUrl });
  await seedInstitution(t, institution('inst-a'));
  await seedInstitution(t, institution('inst-b'));
});
afterAll(async () => {
  await listener?.close();
  await t?.close();
});

describe('registering a nurse', () => {
  it.each<[string, () => string, string, number, string?]>([
    ['admin, any institution', () => t.tokens.admin(), 'inst-a', 201],
    ['coordinator of her institution', () => t.tokens.coordinator('inst-b'), 'inst-b', 201],
    ['coordinator of another institution', () => t.tokens.coordinator('inst-b'), 'inst-a', 403, 'FORBIDDEN'],
    ['a nurse', () => t.tokens.nurse('self', 'inst-a'), 'inst-a', 403, 'FORBIDDEN'],
    ['security', () => t.tokens.security(), 'inst-a', 403, 'FORBIDDEN'],
    ['admin, unregistered institution', () => t.tokens.admin(), 'inst-ghost', 422, 'DOMAIN_RULE'],
  ])('%s -> %i', async (who, token, institutionId, status, code) => {
    const id = `reg-${who.replace(/[^a-z]+/g, '-').slice(0, 30)}`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: bearer(token()), payload: nurseCreate(id, institutionId) });
    expect(res.statusCode).toBe(status);
    if (code) {
      expect(res.json().error.code).toBe(code);
      expect(await t.deps.redis.exists(t.deps.keys.nurse(id))).toBe(0);
    } else {
      expect(res.json()).toMatchObject({ ...nurseCreate(id, institutionId), ratingSum: 0, ratingCount: 0 });
      expect(await t.deps.redis.sismember(t.deps.keys.institutionNurses(institutionId), id)).toBe(1);
      expect(await t.deps.redis.sismember(t.deps.keys.nurseIds, id)).toBe(1);
    }
  });

  it('names the unregistered institution', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: bearer(t.tokens.admin()), payload: nurseCreate('n-ghost', 'inst-ghost') });
    expect(res.json().error.message).toContain('institution inst-ghost is not registered');
  });

  it('refuses a duplicate id with 409 and keeps the first', async () => {
    await seedNurse(t, nurseCreate('dup', 'inst-a', { name: 'First' }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: bearer(t.tokens.admin()), payload: nurseCreate('dup', 'inst-a', { name: 'Second' }) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({ code: 'ALREADY_EXISTS', message: 'nurse dup already exists' });
    expect(JSON.parse((await t.deps.redis.get(t.deps.keys.nurse('dup')))!).name).toBe('First');
  });

  it('refuses a malformed body with 400, naming every problem, and stores nothing', async () => {
    const payload = { ...nurseCreate('bad', 'inst-a'), registrationNumber: 'x', yearsExperience: -1, title: 'matron', nickname: 'Bad' };
    const res = await t.app.inject({ method: 'POST', url: '/v1/nurses', headers: bearer(t.tokens.admin()), payload });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = (error.details.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/', '/registrationNumber', '/yearsExperience', '/title']));
    expect(await t.deps.redis.exists(t.deps.keys.nurse('bad'))).toBe(0);
    expect(await t.deps.redis.sismember(t.deps.keys.nurseIds, 'bad')).toBe(0);
    expect(await t.deps.redis.sismember(t.deps.keys.institutionNurses('inst-a'), 'bad')).toBe(0);
  });

  it('publishes the new nurse on her registry subject', async () => {
    const msg = await firstMessage(t.deps.subjects.nurseChanged('pub-new'), () => seedNurse(t, nurseCreate('pub-new', 'inst-a')));
    expect(msg).toMatchObject({ id: 'pub-new', institutionId: 'inst-a', ratingCount: 0 });
  });
});

describe('reading a nurse', () => {
  beforeAll(async () => {
    await seedNurse(t, nurseCreate('read-a', 'inst-a'));
    await seedNurse(t, nurseCreate('read-a2', 'inst-a'));
  });

  it.each<[string, () => string, number]>([
    ['admin', () => t.tokens.admin(), 200],
    ['coordinator of her institution', () => t.tokens.coordinator('inst-a'), 200],
    ['the nurse herself', () => t.tokens.nurse('read-a', 'inst-a'), 200],
    ['coordinator of another institution', () => t.tokens.coordinator('inst-b'), 403],
    ['another nurse of the same institution', () => t.tokens.nurse('read-a2', 'inst-a'), 403],
    ['security', () => t.tokens.security(), 403],
  ])('%s -> %i', async (_who, token, status) => {
    const res = await t.app.inject({ url: '/v1/nurses/read-a', headers: bearer(token()) });
    expect(res.statusCode).toBe(status);
    if (status === 200) expect(res.json()).toMatchObject({ id: 'read-a', institutionId: 'inst-a' });
    else expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('answers 404 for an unknown nurse', async () => {
    const res = await t.app.inject({ url: '/v1/nurses/nobody', headers: bearer(t.tokens.admin()) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'NOT_FOUND', message: 'nurse nobody not found' });
  });
});

describe('updating a nurse', () => {
  beforeAll(() => seedNurse(t, nurseCreate('upd', 'inst-a', { title: 'nurse', yearsExperience: 4 })));

  it('applies a partial update, bumps updatedAt and publishes the full nurse', async () => {
    const before = JSON.parse((await t.deps.redis.get(t.deps.keys.nurse('upd')))!) as Nurse;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const msg = await firstMessage(t.deps.subjects.nurseChanged('upd'), async () => {
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/v1/nurses/upd',
        headers: bearer(t.tokens.coordinator('inst-a')),
        payload: { title: 'nurse_practitioner', yearsExperience: 5, certifications: [{ code: 'picc', expiresOn: '2099-12-31' }] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: 'upd', title: 'nurse_practitioner', yearsExperience: 5, name: before.name });
    });
    const stored = JSON.parse((await t.deps.redis.get(t.deps.keys.nurse('upd')))!) as Nurse;
    expect(msg).toEqual(stored);
    expect(stored).toEqual({
      ...before,
      title: 'nurse_practitioner',
      yearsExperience: 5,
      certifications: [{ code: 'picc', expiresOn: '2099-12-31' }],
      updatedAt: expect.any(String),
    });
    expect(Date.parse(stored.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it('keeps concurrent updates of different fields (no lost update)', async () => {
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: '/v1/nurses/upd', headers: bearer(t.tokens.admin()), payload });
    const results = await Promise.all([patch({ name: 'Renamed' }), patch({ suspended: true }), patch({ specialtyGroups: ['wounds_stomas'] })]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(JSON.parse((await t.deps.redis.get(t.deps.keys.nurse('upd')))!)).toMatchObject({
      name: 'Renamed',
      suspended: true,
      specialtyGroups: ['wounds_stomas'],
    });
  });

  it('adds ratings without losing concurrent ones, and publishes them', async () => {
    const nurses = createNurseRepository({ redis: t.deps.redis, nc: t.deps.bus.nc, keys: t.deps.keys, subjects: t.deps.subjects, now: Date.now });
    const msg = await firstMessage(t.deps.subjects.nurseChanged('upd'), () => Promise.all([5, 4, 3, 5].map((s) => nurses.addRating('upd', s))));
    expect(msg).toMatchObject({ id: 'upd' });
    expect(await nurses.get('upd')).toMatchObject({ ratingSum: 17, ratingCount: 4, name: 'Renamed' });
    await expect(nurses.addRating('nobody', 5)).rejects.toThrow('nurse nobody not found');
  });

  it.each<[string, () => string, object, number, string]>([
    ['coordinator of another institution', () => t.tokens.coordinator('inst-b'), { name: 'X' }, 403, 'FORBIDDEN'],
    ['the nurse herself', () => t.tokens.nurse('upd', 'inst-a'), { name: 'X' }, 403, 'FORBIDDEN'],
    ['a change of institution', () => t.tokens.admin(), { institutionId: 'inst-b' }, 400, 'VALIDATION_FAILED'],
    ['a malformed title', () => t.tokens.admin(), { title: 'matron' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s and changes nothing', async (_case, token, payload, status, code) => {
    const before = await t.deps.redis.get(t.deps.keys.nurse('upd'));
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/nurses/upd', headers: bearer(token()), payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await t.deps.redis.get(t.deps.keys.nurse('upd'))).toBe(before);
  });

  it('answers 404 for an unknown nurse', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/nurses/nobody', headers: bearer(t.tokens.admin()), payload: { name: 'X' } });
    expect(res.statusCode).toBe(404);
  });
});

describe('listing nurses', () => {
  const ids = (res: { json(): unknown }) => (res.json() as { items: Nurse[] }).items.map((n) => n.id);

  beforeAll(async () => {
    await seedInstitution(t, institution('inst-list'));
    await seedInstitution(t, institution('inst-other'));
    const seeds = [
      nurseCreate('l-junior', 'inst-list', { title: 'nurse', yearsExperience: 2, specialtyGroups: ['mother_infant'] }),
      nurseCreate('l-picc', 'inst-list', { title: 'supervisor_nurse', yearsExperience: 12, certifications: [{ code: 'picc', expiresOn: '2099-01-01' }] }),
      nurseCreate('l-expired', 'inst-list', { yearsExperience: 8, certifications: [{ code: 'picc', expiresOn: '2001-01-01' }] }),
      nurseCreate('l-suspended', 'inst-list', { yearsExperience: 9, suspended: true }),
      nurseCreate('l-untrained', 'inst-list', { yearsExperience: 7, homeServiceTrained: false }),
      nurseCreate('o-nurse', 'inst-other'),
    ];
    for (const n of seeds) await seedNurse(t, n);
  });

  it.each<[string, string, string[]]>([
    ['everyone', '', ['l-expired', 'l-junior', 'l-picc', 'l-suspended', 'l-untrained']],
    ['by title', 'title=supervisor_nurse', ['l-picc']],
    ['by minimum years (inclusive)', 'minYears=8', ['l-expired', 'l-picc', 'l-suspended']],
    ['by specialty group', 'specialtyGroup=mother_infant', ['l-junior']],
    ['not suspended', 'suspended=false', ['l-expired', 'l-junior', 'l-picc', 'l-untrained']],
    ['suspended', 'suspended=true', ['l-suspended']],
    ['by unexpired certification', 'certification=picc', ['l-picc']],
    ['not home-service trained', 'homeServiceTrained=false', ['l-untrained']],
    ['combined', 'minYears=5&suspended=false&homeServiceTrained=true', ['l-expired', 'l-picc']],
  ])('a coordinator lists her own institution %s', async (_case, query, expected) => {
    const res = await t.app.inject({ url: `/v1/nurses?${query}`, headers: bearer(t.tokens.coordinator('inst-list')) });
    expect(res.statusCode).toBe(200);
    expect(ids(res)).toEqual(expected);
  });

  it.each<[string, () => string, string, number, string[] | string]>([
    ['admin naming an institution', () => t.tokens.admin(), 'institutionId=inst-other', 200, ['o-nurse']],
    ['admin without an institution', () => t.tokens.admin(), '', 400, 'VALIDATION_FAILED'],
    ['coordinator naming her own', () => t.tokens.coordinator('inst-other'), 'institutionId=inst-other', 200, ['o-nurse']],
    ['coordinator naming another', () => t.tokens.coordinator('inst-other'), 'institutionId=inst-list', 403, 'FORBIDDEN'],
    ['a nurse', () => t.tokens.nurse('o-nurse', 'inst-other'), 'institutionId=inst-other', 403, 'FORBIDDEN'],
    ['a bad filter', () => t.tokens.admin(), 'institutionId=inst-list&minYears=many', 400, 'VALIDATION_FAILED'],
    ['an unknown certification', () => t.tokens.admin(), 'institutionId=inst-list&certification=tattoo', 400, 'VALIDATION_FAILED'],
  ])('%s -> %i', async (_case, token, query, status, expected) => {
    const res = await t.app.inject({ url: `/v1/nurses?${query}`, headers: bearer(token()) });
    expect(res.statusCode).toBe(status);
    if (Array.isArray(expected)) expect(ids(res)).toEqual(expected);
    else expect(res.json().error.code).toBe(expected);
  });
});
