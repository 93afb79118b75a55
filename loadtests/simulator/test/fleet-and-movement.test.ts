import { describe, expect, it } from 'vitest';
import { distanceMeters } from '@nursing/geo';
import { generateFleet, generateInstitutions } from '../fleet.ts';
import { advance, startTrip, type Mover } from '../movement.ts';
import { CITY_CENTRE } from '../geo-offset.ts';
import { seededRng } from '../rng.ts';
import { DEFAULTS, parseOptions } from '../options.ts';

describe('fleet', () => {
  const institutions = generateInstitutions(6, 8, 1, 'sim');
  const fleet = generateFleet(2000, institutions, 8, 1, 'sim', Date.UTC(2026, 0, 1));

  it('is the same for the same seed, and nurse i does not depend on the fleet size', () => {
    expect(generateFleet(50, institutions, 8, 1, 'sim', Date.UTC(2026, 0, 1))).toEqual(fleet.slice(0, 50));
    expect(generateFleet(50, institutions, 8, 2, 'sim', Date.UTC(2026, 0, 1))).not.toEqual(fleet.slice(0, 50));
  });

  it('mixes titles, years and certifications, and leaves a share of nurses ineligible', () => {
    const titles = new Set(fleet.map((n) => n.profile.title));
    expect(titles.size).toBe(5);
    const eligible = fleet.filter((n) => n.eligible).length / fleet.length;
    expect(eligible).toBeGreaterThan(0.45);
    expect(eligible).toBeLessThan(0.8);
    expect(fleet.some((n) => n.profile.suspended)).toBe(true);
    expect(fleet.some((n) => n.profile.certifications.some((c) => c.code === 'picc'))).toBe(true);
    expect(fleet.every((n) => distanceMeters(n.home, CITY_CENTRE) < 8_000 * 0.6 + 3_000 + 1)).toBe(true);
  });
});

describe('movement', () => {
  it('never moves faster than the cap, and reaches the destination along street-like legs', () => {
    const rng = seededRng(7);
    const mover: Mover = { at: CITY_CENTRE, route: [], speedMps: 0, headingDeg: 0 };
    const to = { lat: CITY_CENTRE.lat + 0.02, lng: CITY_CENTRE.lng + 0.03 };
    startTrip(mover, to, 'drive', 600, 50, rng);
    expect(mover.route.length).toBeGreaterThanOrEqual(2);
    let arrived = false;
    for (let s = 0; s < 1_000 && !arrived; s++) {
      const before = mover.at;
      arrived = advance(mover, 1);
      expect(distanceMeters(before, mover.at)).toBeLessThanOrEqual(50.001);
    }
    expect(arrived).toBe(true);
    expect(mover.at).toEqual(to);
  });
});

describe('options', () => {
  it('--demo is a small fast fleet; flags override it; bad values are named', () => {
    const demo = parseOptions(['--demo', '--nurses', '50']);
    expect(demo).toMatchObject({ help: false, options: { nurses: 50, timeScale: 60, durationS: 0, baseUrl: DEFAULTS.baseUrl } });
    expect(parseOptions(['--help'])).toEqual({ help: true });
    expect(() => parseOptions(['--orders-per-minute', 'lots'])).toThrow(/--orders-per-minute must be a number/);
    expect(() => parseOptions(['--max-speed', '90'])).toThrow(/at most 60/);
  });
});
