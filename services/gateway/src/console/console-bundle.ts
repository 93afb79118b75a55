import { build, type OutputFile } from 'esbuild';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** Where the page sources live: services/gateway/console. */
export const CONSOLE_SOURCE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

/** One built file, kept in memory and served as is. */
export interface BundledAsset {
  contents: Uint8Array;
  contentType: string;
  etag: string;
}

/** Served under /console/<name>; the keys are the file names the HTML pages refer to. */
const PAGE_ENTRY_POINTS = {
  coordinator: 'coordinator/main.ts',
  security: 'security/main.ts',
  console: 'styles/console.css',
} as const;

/**
 * Web Workers the pages start by name (see coordinator/live-worker-client.ts). Built
 * as classic scripts: module workers are newer than some browsers the pages target.
 */
const WORKER_ENTRY_POINTS = {
  'live-worker': 'coordinator/live-worker.ts',
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Bundles the console's TypeScript (with Leaflet from node_modules) and its CSS (with
 * leaflet.css and Leaflet's images inlined) once, in memory, on first use. The pages
 * are part of the gateway, not a separate build step: `npm start` serves them as they
 * are in the working tree, which is what a newcomer editing them expects.
 */
export function createConsoleBundle(options: { minify: boolean }) {
  let built: Promise<Map<string, BundledAsset>> | undefined;

  function buildEntries(entries: Record<string, string>, format: 'esm' | 'iife') {
    return build({
      absWorkingDir: CONSOLE_SOURCE_DIR,
      entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `${CONSOLE_SOURCE_DIR}${file}`])),
      bundle: true,
      write: false,
      outdir: '/console',
      format,
      // safari16.4: the first Safari that draws on an OffscreenCanvas in a worker (the live layer does).
      target: ['chrome110', 'firefox110', 'safari16.4'],
      minify: options.minify,
      sourcemap: options.minify ? false : 'linked',
      loader: { '.png': 'dataurl', '.svg': 'dataurl' },
      logLevel: 'silent',
      legalComments: 'none',
    });
  }

  async function bundle(): Promise<Map<string, BundledAsset>> {
    const results = await Promise.all([buildEntries(PAGE_ENTRY_POINTS, 'esm'), buildEntries(WORKER_ENTRY_POINTS, 'iife')]);
    const assets = new Map<string, BundledAsset>();
    for (const file of results.flatMap((r) => r.outputFiles)) assets.set(nameOf(file), toAsset(file));
    return assets;
  }

  return {
    /** The bundle, built on the first call; a failed build is retried on the next call. */
    assets(): Promise<Map<string, BundledAsset>> {
      built ??= bundle().catch((err: unknown) => {
        built = undefined;
        throw err;
      });
      return built;
    },
  };
}

export type ConsoleBundle = ReturnType<typeof createConsoleBundle>;

function nameOf(file: OutputFile): string {
  return file.path.slice(file.path.lastIndexOf('/') + 1);
}

function toAsset(file: OutputFile): BundledAsset {
  const name = nameOf(file);
  const ext = name.slice(name.lastIndexOf('.'));
  return {
    contents: file.contents,
    contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha1').update(file.contents).digest('base64url').slice(0, 16)}"`,
  };
}
