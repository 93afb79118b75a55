import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@nursing/testing';
import { isReachable } from '@nursing/local-servers';

// `npm start` end to end: with nothing listening at REDIS_URL / NATS_URL it starts both
// servers from the local binaries, serves /readyz, and Ctrl-C stops all of it.
const START = fileURLToPath(new URL('./start.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  let out = '';
  const child = spawn(TSX, [START], { env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => out };
}

describe('npm start', () => {
  it('starts Redis and NATS when nothing answers, is ready within 15 s, and stops everything on Ctrl-C', async () => {
    const [port, redisPort, natsPort] = [await freePort(), await freePort(), await freePort()];
    const started = Date.now();
    const app = run({ PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}`, NATS_URL: `nats://127.0.0.1:${natsPort}` });
    try {
      await waitFor(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return r?.status === 200;
      }, { timeoutMs: 15_000, intervalMs: 200, message: 'readyz 200' });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(app.output()).toContain(`running at http://127.0.0.1:${port}`);
      expect(app.output()).toContain('started here: redis, nats');
      expect(await isReachable('127.0.0.1', redisPort, 500)).toBe(true);
    } finally {
      app.child.kill('SIGINT');
    }
    expect(await app.exit).toBe(0);
    expect(await isReachable('127.0.0.1', redisPort, 500)).toBe(false);
    expect(await isReachable('127.0.0.1', natsPort, 500)).toBe(false);
  }, 40_000);

  it('stops with a clear message when a setting is wrong', async () => {
    const app = run({ PORT: 'eighty' });
    expect(await app.exit).toBe(78);
    expect(app.output()).toContain('PORT must be integer (got "eighty")');
  }, 20_000);

  it('says how to get Redis and NATS when they are not reachable and not a local address (no traffic leaves the machine: .invalid never resolves)', async () => {
    const app = run({ REDIS_URL: 'redis://redis.invalid:6379', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(await app.exit).toBe(69);
    expect(app.output()).toMatch(/Redis is not reachable at redis:\/\/redis\.invalid:6379/);
    expect(app.output()).toMatch(/apt-get install -y redis-server nats-server|docker compose up/);
  }, 20_000);
});
