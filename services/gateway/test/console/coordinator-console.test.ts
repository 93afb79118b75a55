import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Order } from '@nursing/contracts';
import { launchChromium, openConsolePage, screenshot } from './browser.ts';
import { startConsoleStack, type ConsoleStack } from './console-stack.ts';
import { CENTRE, north, nurseOnline, orderBody, qualifiedNurse, registerNurse, report, seedInstitution } from './fixtures.ts';
import type { TestSocket } from '../harness.ts';

// The coordinator console in headless Debian Chromium against dispatch + gateway +
// alarms in one app on the shared Redis and NATS. Nurses are raw WebSocket clients.

let stack: ConsoleStack;
let browser: Browser;
const sockets: TestSocket[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  stack = await startConsoleStack();
  browser = await launchChromium();
  for (const id of ['inst-a', 'inst-b', 'inst-c']) await seedInstitution(stack, id, `Centre ${id}`);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await stack?.close();
});

/** Waits until `fn(arg)` is truthy in the page. */
function until<A>(page: Page, fn: (arg: A) => unknown, arg: A, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(fn as (arg: unknown) => unknown, arg as unknown, { timeout, polling: 100 });
}

const url = () => `${stack.baseUrl}/?tiles=none`;

describe('coordinator console', () => {
  it('signs in with one click in development; a nurse reporting positions moves her marker', async () => {
    await registerNurse(stack, qualifiedNurse('n-move', 'inst-a'));
    const { page, errors } = await openConsolePage(browser, url());
    pages.push(page);
    await page.waitForSelector('#dev-institution option[value="inst-a"]', { state: 'attached', timeout: 20_000 });
    await page.selectOption('#dev-institution', 'inst-a');
    await page.fill('#dev-subject', 'coord-1');
    await page.click('button[data-role="coordinator"]');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    await until(page, () => globalThis.__consoleStats?.socket === 'open', null);

    const a = north(CENTRE, 300);
    const nurse = await nurseOnline(stack, 'n-move', 'inst-a', a, 20_000);
    sockets.push(nurse);
    await until(page, (p) => Math.abs((globalThis.__console?.nurse('n-move')?.lat ?? 0) - p.lat) < 1e-6, a);

    const b = north(CENTRE, 800);
    await report(nurse, b, Date.now(), 'l1');
    await until(page, (p) => Math.abs((globalThis.__console?.nurse('n-move')?.lat ?? 0) - p.lat) < 1e-6, b);
    // The roster colours her as available (refreshed every few seconds).
    await until(page, () => globalThis.__console?.nurse('n-move')?.kind === 'available', null);
    const stats = await page.evaluate(() => ({ markers: globalThis.__consoleStats!.markers, frames: globalThis.__consoleStats!.frames }));
    expect(stats.markers).toBeGreaterThanOrEqual(1);
    expect(stats.frames).toBeGreaterThan(10);
    await page.waitForTimeout(1100); // let the glide finish for the picture
    await screenshot(page, 'coordinator-nurse-moved');
    expect(errors).toEqual([]);
  }, 90_000);

  it('creates a grab order from the form (negative list refused next to the field); a nurse grabs it and the map shows it assigned', async () => {
    await registerNurse(stack, qualifiedNurse('n-grab', 'inst-b'));
    const nurse = await nurseOnline(stack, 'n-grab', 'inst-b', north(CENTRE, 1000));
    sockets.push(nurse);
    const { page, errors } = await openConsolePage(browser, url(), stack.tokens.coordinator('inst-b'));
    pages.push(page);

    await page.click('#new-order');
    await page.selectOption('#item', 'vital_signs_monitoring');
    await page.selectOption('#mode', 'grab');
    await page.fill('#patient-name', 'Wang Fang');
    await page.fill('#patient-phone', '13800138000');
    await page.fill('#patient-address', '88 Century Avenue, Pudong');
    await page.fill('#patient-lat', String(CENTRE.lat));
    await page.fill('#patient-lng', String(CENTRE.lng));
    await page.fill('#assessment-doctor', 'Dr Li');
    await page.fill('#consent-record', 'consent-7');
    await page.fill('#procedures', 'Blood transfusion');
    await page.click('#create-order');
    await expect.poll(() => page.textContent('#procedures-error')).toContain('may not be done at home');
    expect(await page.getAttribute('#procedures', 'aria-invalid')).toBe('true');
    await screenshot(page, 'coordinator-form-negative-list');
    const before = await stack.call<{ orders: Order[] }>('GET', '/v1/orders', stack.tokens.coordinator('inst-b'));
    expect(before.orders).toHaveLength(0);

    await page.fill('#procedures', '');
    await page.click('#create-order');
    const panel = await page.waitForSelector('section.order-panel[data-order]', { timeout: 20_000 }).catch(async (err: Error) => {
      await screenshot(page, 'coordinator-form-failure');
      const shown = await page.$$eval('.field-error, .form-error', (els) => els.map((e) => `${e.id}: ${e.textContent}`).filter((t) => !t.endsWith(': ')));
      throw new Error(`${err.message}\nform errors: ${shown.join(" | ")}\npage errors: ${errors.join(" | ")}`);
    });
    const orderId = (await panel.getAttribute('data-order'))!;
    await until(page, (id) => globalThis.__console?.order(id)?.state === 'broadcast', orderId);
    await page.waitForSelector(`#feed li[data-event="broadcast"][data-order="${orderId}"]`, { state: 'attached' });
    await screenshot(page, 'coordinator-grab-broadcast');

    const broadcast = await nurse.next((f) => f.type === 'broadcast' && f['orderId'] === orderId, 20_000);
    expect(broadcast).not.toHaveProperty('patient');
    nurse.send({ type: 'grab', id: 'g1', orderId });
    const answer = await nurse.next((f) => f['id'] === 'g1', 20_000);
    expect(answer.type).toBe('ack');

    await until(page, (id) => globalThis.__console?.order(id)?.state === 'accepted' && globalThis.__console.order(id)?.assignedNurseId === 'n-grab', orderId);
    await page.click('button.back');
    await page.waitForSelector(`#orders li[data-order="${orderId}"] [data-state="accepted"]`, { timeout: 20_000 });
    await until(page, () => globalThis.__console?.nurse('n-grab')?.kind === 'visit', null);
    await screenshot(page, 'coordinator-grab-assigned');
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows an order’s timeline and candidates with the reasons others are ineligible, and assigns by click', async () => {
    await registerNurse(stack, qualifiedNurse('n-junior', 'inst-c', { title: 'nurse' }));
    await registerNurse(stack, qualifiedNurse('n-senior', 'inst-c'));
    sockets.push(await nurseOnline(stack, 'n-junior', 'inst-c', north(CENTRE, 500)));
    const coord = stack.tokens.coordinator('inst-c');
    // Nobody eligible yet: the push order ends unassigned.
    const order = await stack.call<Order>('POST', '/v1/orders', coord, orderBody(CENTRE, { id: 'o-assign' }));
    await expect.poll(async () => (await stack.call<Order>('GET', `/v1/orders/${order.id}`, coord)).state, { timeout: 20_000 }).toBe('unassigned');
    sockets.push(await nurseOnline(stack, 'n-senior', 'inst-c', north(CENTRE, 2000)));
    const box = { west: 121.3, south: 31.1, east: 121.6, north: 31.4 };
    await expect
      .poll(async () => (await stack.call<{ totals: { supply: number; demand: number } }>('GET', `/v1/supply?${new URLSearchParams(Object.entries(box).map(([k, v]): [string, string] => [k, String(v)]))}`, coord)).totals, { timeout: 20_000 })
      .toEqual({ supply: 1, demand: 1 });

    const { page, errors } = await openConsolePage(browser, url(), coord);
    pages.push(page);
    // The supply/demand layer draws its hexagons.
    await page.waitForSelector('.leaflet-supply-pane path', { state: 'attached', timeout: 20_000 });
    await page.click(`#orders li[data-order="${order.id}"] button`);
    await page.waitForSelector('.candidates li[data-nurse="n-senior"] button.primary', { timeout: 20_000 });
    const reasons = await page.$$eval('.candidates li[data-nurse="n-junior"] [data-reason]', (els) => els.map((e) => e.getAttribute('data-reason')));
    expect(reasons).toContain('title_below_nurse_practitioner');
    expect(await page.$$eval('.timeline li[data-action]', (els) => els.map((e) => e.getAttribute('data-action')))).toContain('unassigned');
    await screenshot(page, 'coordinator-order-candidates');

    await page.click('.candidates li[data-nurse="n-senior"] button.primary');
    await until(page, (id) => globalThis.__console?.order(id)?.state === 'accepted', order.id);
    const assigned = await stack.call<Order>('GET', `/v1/orders/${order.id}`, coord);
    expect(assigned.assignedNurseId).toBe('n-senior');
    expect(assigned.manualAssignment?.by).toBe('coord-inst-c');
    await screenshot(page, 'coordinator-order-assigned');
    expect(errors).toEqual([]);
  }, 120_000);
});
