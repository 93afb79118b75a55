import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CommonConfig } from '@nursing/config';
import { CONSOLE_SOURCE_DIR, createConsoleBundle, type BundledAsset } from './console-bundle.ts';
import { devTokenRoute } from './dev-token-route.ts';

/** OpenStreetMap's standard tiles; their usage policy asks for the attribution below. */
export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

export interface ConsoleConfig extends CommonConfig {
  /** Tile URL template; `none` draws no tiles (offline, tests). Defaults to OpenStreetMap. */
  MAP_TILE_URL?: string;
}

/** What the pages fetch first from /console/config.json. */
export interface ConsolePageConfig {
  tileUrl: string | null;
  tileAttribution: string;
  /** True outside production: the sign-in form offers one-click development tokens. */
  devSignIn: boolean;
}

const PAGES = { '/': 'coordinator/index.html', '/security': 'security/index.html' } as const;

// Scripts only from here; tiles are images from wherever the tile URL points.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The coordinator console at `/` and the security desk at `/security`: two HTML pages,
 * their bundled scripts and styles under `/console/`, the page config, and in
 * development the one-click sign-in (`POST /v1/dev/token`). The pages talk to the same
 * base URL's REST API and sockets with the signed-in user's token.
 */
export function consoleRoutes(deps: { config: ConsoleConfig }) {
  const production = deps.config.NODE_ENV === 'production';
  const bundle = createConsoleBundle({ minify: production });
  const tileSetting = deps.config.MAP_TILE_URL ?? OSM_TILE_URL;
  const pageConfig: ConsolePageConfig = {
    tileUrl: tileSetting === 'none' ? null : tileSetting,
    tileAttribution: tileSetting === OSM_TILE_URL ? OSM_ATTRIBUTION : '',
    devSignIn: !production,
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    // Build while the rest of the service starts; a failure is reported on request.
    bundle.assets().catch((err: unknown) => app.log.error({ err }, 'console bundle failed'));

    for (const [path, file] of Object.entries(PAGES)) {
      app.get(path, { schema: { hide: true } }, async (_req, reply) => {
        const html = await readFile(`${CONSOLE_SOURCE_DIR}${file}`);
        return reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
      });
    }

    app.get('/console/config.json', { schema: { hide: true } }, async () => pageConfig);

    app.get<{ Params: { name: string } }>('/console/:name', { schema: { hide: true } }, async (req, reply) => {
      const asset = (await bundle.assets()).get(req.params.name);
      if (!asset) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `console file ${req.params.name} not found` } });
      return sendAsset(req, reply, asset);
    });

    if (!production) await app.register(devTokenRoute(deps.config));
  };
}

function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: BundledAsset): FastifyReply {
  reply.header('etag', asset.etag).header('cache-control', 'no-cache');
  if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  return reply.type(asset.contentType).send(Buffer.from(asset.contents));
}
