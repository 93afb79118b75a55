import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm, Order } from '@nursing/contracts';
import { launchChromium, openConsolePage, screenshot } from './browser.ts';
import { startConsoleStack, type ConsoleStack } from './console-stack.ts';
import { CENTRE, north, nurseOnline, orderBody, qualifiedNurse, registerNurse, report, seedInstitution } from './fixtures.ts';
import type { TestSocket } from '../harness.ts';

// An alarm raised by a nurse's app reaches both pages: a banner with sound on the
// coordinator console, an urgent card with sound on the security desk; acknowledging
// on the desk is recorded by the alarms API and silences both.

let stack: ConsoleStack;
let browser: Browser;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  stack = await startConsoleStack();
  browser = await launchChromium();
  await seedInstitution(stack, 'inst-al', 'Lujiazui Community Health Centre');
  await seedInstitution(stack, 'inst-fold', 'Pudong Drill Centre');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await stack?.close();
});

function until<A>(page: Page, fn: (arg: A) => unknown, arg: A, timeout = 20_000): Promise<unknown> {
  return page.waitForFunction(fn as (arg: unknown) => unknown, arg as unknown, { timeout, polling: 100 });
}

async function raise(nurse: TestSocket, alarmId: string, drill = false): Promise<void> {
  nurse.send({ type: 'alarm', id: `raise-${alarmId}`, alarmId, kind: 'panic', drill });
  const answer = await nurse.next((f) => f['id'] === `raise-${alarmId}`, 20_000);
  expect(answer.type).toBe('ack');
}

describe('alarms in the browser', () => {
  it('raises the banner on both pages with sound; acknowledging on the desk is recorded and stops the sound', async () => {
    await registerNurse(stack, qualifiedNurse('n-alarm', 'inst-al'));
    await registerNurse(stack, qualifiedNurse('n-drill', 'inst-al'));
    const start = north(CENTRE, 400);
    const nurse = await nurseOnline(stack, 'n-alarm', 'inst-al', start, 30_000);
    const driller = await nurseOnline(stack, 'n-drill', 'inst-al', north(CENTRE, 3000));
    sockets.push(nurse, driller);

    // She is on a visit (accepted push offer), so the desk gets the patient's address.
    const coord = stack.tokens.coordinator('inst-al');
    const order = await stack.call<Order>('POST', '/v1/orders', coord, orderBody(north(CENTRE, 600), { id: 'o-alarm' }));
    const offer = await nurse.next((f) => f.type === 'offer' && f['orderId'] === order.id, 20_000);
    nurse.send({ type: 'offer.accept', id: 'acc', orderId: offer['orderId'] });
    expect((await nurse.next((f) => f['id'] === 'acc', 20_000)).type).toBe('ack');

    const console_ = await openConsolePage(browser, `${stack.baseUrl}/?tiles=none`, coord);
    const desk = await openConsolePage(browser, `${stack.baseUrl}/security?tiles=none`, stack.tokens.security('desk-1'));
    await until(console_.page, () => globalThis.__consoleStats?.socket === 'open', null);
    await until(desk.page, () => globalThis.__consoleStats?.socket === 'open', null);

    await raise(nurse, 'alarm-real-0001');
    await raise(driller, 'alarm-drill-0001', true);

    // Coordinator: a banner row per alarm, sound on.
    await console_.page.waitForSelector('#alarm-banner [data-alarm="alarm-real-0001"][data-status="open"]', { timeout: 20_000 });
    await console_.page.waitForSelector('#alarm-banner [data-alarm="alarm-drill-0001"] .badge.drill', { timeout: 20_000 });
    await until(console_.page, () => globalThis.__consoleStats?.soundPlaying === true, null);
    await until(console_.page, () => globalThis.__console?.nurse('n-alarm')?.kind === 'alarm', null);

    // Desk: the real alarm first (drills after real ones), with the patient's address of her visit.
    await until(desk.page, () => globalThis.__security?.alarms().length === 2, null);
    const listed = await desk.page.evaluate(() => globalThis.__security!.alarms().map((a) => `${a.alarmId}:${a.drill}`));
    expect(listed).toEqual(['alarm-real-0001:false', 'alarm-drill-0001:true']);
    await until(desk.page, () => globalThis.__consoleStats?.soundPlaying === true, null);
    await desk.page.click('[data-alarm="alarm-real-0001"]');
    await expect.poll(() => desk.page.textContent('[data-address]'), { timeout: 20_000 }).toContain('88 Century Avenue');
    // Her live trail grows on the desk's map as she moves.
    const before = await desk.page.evaluate(() => globalThis.__security!.trail('alarm-real-0001'));
    await report(nurse, north(CENTRE, 700), Date.now(), 'moving');
    await until(desk.page, (n) => globalThis.__security!.trail('alarm-real-0001') > n, before);
    await screenshot(desk.page, 'security-desk-alarms');
    await screenshot(console_.page, 'coordinator-alarm-banner');

    await desk.page.click('#acknowledge');
    const api = await stack.call<Alarm>('GET', '/v1/alarms/alarm-real-0001', stack.tokens.security());
    await expect.poll(async () => (await stack.call<Alarm>('GET', '/v1/alarms/alarm-real-0001', stack.tokens.security())).status, { timeout: 20_000 }).toBe('acknowledged');
    expect(api.alarmId).toBe('alarm-real-0001');
    await console_.page.waitForSelector('#alarm-banner [data-alarm="alarm-real-0001"][data-status="acknowledged"]', { timeout: 20_000 });
    // The drill is still unacknowledged: still sounding.
    expect(await desk.page.evaluate(() => globalThis.__consoleStats?.soundPlaying)).toBe(true);

    await desk.page.click('[data-alarm="alarm-drill-0001"]');
    await desk.page.click('#acknowledge');
    await until(desk.page, () => globalThis.__consoleStats?.soundPlaying === false, null);
    await until(console_.page, () => globalThis.__consoleStats?.soundPlaying === false, null);
    expect((await stack.call<Alarm>('GET', '/v1/alarms/alarm-drill-0001', stack.tokens.security())).status).toBe('acknowledged');

    // Resolving needs notes: refused next to the field, then accepted.
    await desk.page.click('#resolve');
    await expect.poll(() => desk.page.textContent('#alarm-notes-error')).toContain('needs notes');
    await desk.page.fill('#alarm-notes', 'Drill completed; response time fine.');
    await desk.page.click('#resolve');
    await expect.poll(async () => (await stack.call<Alarm>('GET', '/v1/alarms/alarm-drill-0001', stack.tokens.security())).status, { timeout: 20_000 }).toBe('resolved');
    await screenshot(desk.page, 'security-desk-acknowledged');
    expect(console_.errors).toEqual([]);
    expect(desk.errors).toEqual([]);
  }, 150_000);

  it('folds alarms past the first three into one line, keeping the real one in view', async () => {
    await registerNurse(stack, qualifiedNurse('n-fold', 'inst-fold'));
    const nurse = await nurseOnline(stack, 'n-fold', 'inst-fold', north(CENTRE, 5000));
    sockets.push(nurse);
    const console_ = await openConsolePage(browser, `${stack.baseUrl}/?tiles=none`, stack.tokens.coordinator('inst-fold'));
    await until(console_.page, () => globalThis.__consoleStats?.socket === 'open', null);

    // Four drills, then a real alarm: the real one is the most urgent whatever its age.
    for (let i = 1; i <= 4; i++) await raise(nurse, `alarm-fold-drill-${i}`, true);
    await raise(nurse, 'alarm-fold-real');
    const rows = () => console_.page.$$eval('#alarm-banner [data-alarm]', (els) => els.map((el) => el.getAttribute('data-alarm')));
    await console_.page.waitForSelector('#alarm-banner [data-alarm="alarm-fold-real"]', { timeout: 20_000 });
    await console_.page.waitForSelector('#alarm-banner [data-folded="2"]', { timeout: 20_000 });
    expect(await rows()).toEqual(['alarm-fold-real', 'alarm-fold-drill-1', 'alarm-fold-drill-2']);
    expect(await console_.page.textContent('#alarm-banner .fold')).toMatch(/\+2 more alarms\s*\(all drills\)\s*Show all/);

    await console_.page.click('#alarm-banner-fold');
    expect(await rows()).toHaveLength(5);
    expect(await console_.page.getAttribute('#alarm-banner-fold', 'aria-expanded')).toBe('true');
    await screenshot(console_.page, 'coordinator-alarm-banner-unfolded');
    await console_.page.click('#alarm-banner-fold');
    expect(await rows()).toHaveLength(3);
    expect(console_.errors).toEqual([]);
  }, 90_000);
});
