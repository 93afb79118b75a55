import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CommonEnvSchema, loadConfig } from '@nursing/config';
import { consoleRoutes } from '../../src/console/console-routes.ts';

async function appFor(NODE_ENV: 'production' | 'development', MAP_TILE_URL?: string) {
  const config = loadConfig(CommonEnvSchema, { NODE_ENV, JWT_SECRET: 'console-routes-test-secret-0123456789abcdef', LOG_LEVEL: 'silent' });
  const app = Fastify();
  await app.register(consoleRoutes({ config: { ...config, ...(MAP_TILE_URL ? { MAP_TILE_URL } : {}) } }));
  return app;
}

describe('console routes', () => {
  it('serves both pages, the bundled scripts and styles (Leaflet included), with a strict CSP', async () => {
    const app = await appFor('development');
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/console/coordinator.js');
    expect((await app.inject('/security')).body).toContain('/console/security.js');
    const js = await app.inject('/console/coordinator.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body).toContain('leaflet');
    const worker = await app.inject('/console/live-worker.js');
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['content-type']).toContain('javascript');
    // A classic script (a worker started without `type: 'module'`), not an ES module.
    expect(worker.body).not.toMatch(/^export /m);
    const css = await app.inject('/console/console.css');
    expect(css.body).toContain('.leaflet-container');
    const again = await app.inject({ url: '/console/coordinator.js', headers: { 'if-none-match': String(js.headers['etag']) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject('/console/nothing.js')).statusCode).toBe(404);
    await app.close();
  }, 60_000);

  it('issues development tokens outside production only', async () => {
    const dev = await appFor('development');
    const issued = await dev.inject({ method: 'POST', url: '/v1/dev/token', payload: { role: 'security', sub: 'desk-9' } });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ claims: { role: 'security', sub: 'desk-9' } });
    expect(JSON.parse(await (await dev.inject('/console/config.json')).body)).toMatchObject({ devSignIn: true });
    await dev.close();

    const prod = await appFor('production', 'none');
    expect((await prod.inject({ method: 'POST', url: '/v1/dev/token', payload: { role: 'admin', sub: 'x' } })).statusCode).toBe(404);
    expect((await prod.inject('/console/config.json')).json()).toEqual({ tileUrl: null, tileAttribution: '', devSignIn: false });
    await prod.close();
  }, 60_000);
});
