import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * uPlot's browser build and stylesheet, read from node_modules to be inlined: the
 * report is one HTML file that must open offline (a CI artifact, an e-mail attachment).
 */
export function uplotAssets(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/** Text safe inside <script>…</script> and <style>…</style>: no early end tag. */
export function safeInline(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}
