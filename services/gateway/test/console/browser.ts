import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core downloads nothing. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots land here (.data is gitignored). */
export const SCREENSHOT_DIR = resolve(fileURLToPath(new URL('../../../../.data/screenshots/', import.meta.url)));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The alarm tone must sound without a click in an unattended test browser.
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`sudo apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

const TOKEN_KEY = 'hn.console.token';

/**
 * What the pages expose for tests and the benchmark (console/shared/frame-stats.ts,
 * console/coordinator/main.ts, console/security/main.ts). Declared here because the
 * tests compile without the DOM library; functions passed to page.evaluate read them
 * from globalThis.
 */
declare global {
  var __consoleStats: { frames: number; frameTimesMs: number[]; workMs: number[]; layerFrames: number; layerDrawMs: number[]; markers: number; updatesApplied: number; positionFrames: number; soundPlaying: boolean; socket: string; reset(): void } | undefined;
  var __console: { nurse(id: string): { lat: number; lng: number; kind: string } | null; order(id: string): { state: string; assignedNurseId?: string } | null; alarms(): string[] } | undefined;
  var __security: { alarms(): { alarmId: string; status: string; escalationLevel: number; drill: boolean }[]; selected(): string | null; trail(alarmId: string): number } | undefined;
}

/**
 * A page of the console, already signed in with `token` when given (the dev sign-in
 * is exercised by its own test), with page errors collected so a test can assert none.
 */
export async function openConsolePage(browser: Browser, url: string, token?: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (token) await context.addInitScript({ content: `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)});` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // Failed requests are reported below with their URL; the console line does not name it.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  await page.goto(url);
  if (token) await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
